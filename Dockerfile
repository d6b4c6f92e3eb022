# syntax=docker/dockerfile:1
# Build stage: Maven with JDK 17 builds the fat jar (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY webroot webroot
RUN mvn -q -B package -DskipTests

# Runtime stage: a JRE, the jar, and a non-root user (the embedded PostgreSQL refuses to run as root
# anyway). Data lives in a volume so that it survives container restarts.
FROM eclipse-temurin:17-jre
RUN groupadd --system livepulse && useradd --system --gid livepulse --home-dir /var/lib/livepulse livepulse \
    && mkdir -p /var/lib/livepulse/data && chown -R livepulse:livepulse /var/lib/livepulse \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/livepulse.jar /opt/livepulse/livepulse.jar
COPY docker/entrypoint.sh /opt/livepulse/entrypoint.sh
USER livepulse
WORKDIR /var/lib/livepulse
ENV PORT=8080 \
    LIVEPULSE_HOST=0.0.0.0 \
    LIVEPULSE_DATA_DIR=/var/lib/livepulse/data \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
VOLUME ["/var/lib/livepulse/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["/opt/livepulse/entrypoint.sh"]
CMD ["serve"]
