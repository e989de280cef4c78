# syntax=docker/dockerfile:1
# Build stage: compile and package the runnable jar (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY conf conf
COPY src src
RUN mvn -B -ntp -q package -DskipTests

# Runtime stage: a JRE, a non-root user, data in a volume.
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /app --shell /usr/sbin/nologin gateway \
 && mkdir -p /app/conf /data && chown -R gateway:gateway /app /data
WORKDIR /app
COPY --from=build --chown=gateway:gateway /src/target/mcp-gateway.jar /app/mcp-gateway.jar
COPY --from=build --chown=gateway:gateway /src/conf/gateway.yaml /app/conf/gateway.yaml
ENV GATEWAY_DATA_DIR=/data \
    GATEWAY_PORT=8080 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
EXPOSE 8080
USER gateway
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", "/app/mcp-gateway.jar", "healthcheck"]
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "-jar", "/app/mcp-gateway.jar"]
