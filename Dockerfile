# Multi-stage Debian build of telexd and telex.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
      libzmq3-dev libmsgpack-dev liblmdb-dev libcmocka-dev libutf8proc-dev libsodium-dev && \
    rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build /build -j && \
    cmake --install /build --prefix /usr && install -d /usr/share/telex/seeds && \
    cp /src/seeds/*.txt /usr/share/telex/seeds/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libzmq5 libmsgpackc2 liblmdb0 libutf8proc2 \
      libsodium23 && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/telex telex && \
    install -d -o telex -g telex -m 0700 /var/lib/telex
COPY --from=build /usr/bin/telexd /usr/bin/telex /usr/bin/
COPY --from=build /usr/share/telex /usr/share/telex
USER telex
EXPOSE 5555
CMD ["telexd", "--store", "/var/lib/telex", "--listen", "tcp://0.0.0.0:5555"]
