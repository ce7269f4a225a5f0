# nats-server 2.9 with JetStream from Debian (docker-compose.yml's `nats`
# service), so the compose file uses only Debian packages.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nats-server && rm -rf /var/lib/apt/lists/* && \
    install -d /data
EXPOSE 4222 8222
CMD ["nats-server", "-js", "-sd", "/data"]
