# Multi-stage Debian build of telexd and telex.  The build stage runs the
# same `make install` a user runs (it installs its own build packages), so
# the image and the Makefile cannot disagree on how telex is built.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends make ca-certificates && \
    rm -rf /var/lib/apt/lists/*
COPY . /src
WORKDIR /src
# make install is a release build: no input-triggered test hooks compiled in
RUN make install PREFIX=/usr BUILD_INSTALL=/build && install -d /usr/share/telex/seeds && \
    cp /src/seeds/*.txt /usr/share/telex/seeds/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libzmq5 libmsgpackc2 liblmdb0 libutf8proc2 \
      libsodium23 libinih1 libmicrohttpd12 libsystemd0 libjansson4 libcld2-0 libnats3.4 libxml2 tzdata && rm -rf /var/lib/apt/lists/* && \
    useradd --system --home /var/lib/telex telex && install -d -o telex -g telex -m 0700 /var/lib/telex
COPY --from=build /usr/bin/telexd /usr/bin/telex /usr/bin/
COPY --from=build /usr/share/telex /usr/share/telex
USER telex
EXPOSE 5555 5556 9464
CMD ["telexd", "--store", "/var/lib/telex", "--listen", "tcp://0.0.0.0:5555", "--http", "0.0.0.0:9464"]
