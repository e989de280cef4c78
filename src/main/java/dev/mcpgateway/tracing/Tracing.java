package dev.mcpgateway.tracing;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Whether the gateway traces, and through what: OpenTelemetry's SDK, configured by the standard
 * {@code OTEL_*} environment variables (or {@code otel.*} system properties) through its own
 * autoconfiguration, and Vert.x's OpenTelemetry tracer on the {@link Vertx} instance (HTTP server
 * spans, W3C {@code traceparent} read from agents and sent upstream, the current span kept on the
 * request's Vert.x context across callbacks).
 *
 * <p>Off unless configured: an exporter named ({@code OTEL_TRACES_EXPORTER} other than
 * {@code none}) or an OTLP endpoint set. Off means no SDK at all — no exporter thread, no span
 * objects, and Vert.x built without a tracer. Defaults the gateway sets (each overridden by the
 * variable of the same name): service name {@code mcp-gateway}, OTLP over HTTP/protobuf, and no
 * OpenTelemetry metrics or logs exporters (metrics are Prometheus's, logs are lines on stdout).
 *
 * <p>Tracing is a property of a Vert.x instance (its tracer is fixed when it is built), so the
 * gateway's own spans find their tracer from the instance: {@link #of(Vertx)}.
 */
public final class Tracing {
  public static final Tracing OFF = new Tracing(null);
  private static final String INSTRUMENTATION = "dev.mcpgateway";
  private static final Map<Vertx, Tracing> BY_VERTX = Collections.synchronizedMap(new WeakHashMap<>());

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer = sdk == null ? null : sdk.getTracer(INSTRUMENTATION);
  }

  /** From the process's {@code OTEL_*} variables and {@code otel.*} system properties. */
  public static Tracing fromEnvironment() {
    return configure(Map.of());
  }

  /**
   * From the environment with {@code overrides} ({@code otel.*} keys) on top: tests point the
   * exporter at their own receiver this way.
   */
  public static Tracing configure(Map<String, String> overrides) {
    Map<String, String> effective = new HashMap<>();
    System.getenv().forEach((name, value) -> {
      if (name.startsWith("OTEL_")) effective.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
    });
    System.getProperties().forEach((name, value) -> {
      if (name instanceof String key && key.startsWith("otel.")) effective.put(key, String.valueOf(value));
    });
    effective.putAll(overrides);
    if (!configured(effective)) return OFF;
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .disableShutdownHook() // the gateway flushes at its own stop, after the last request
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "mcp-gateway",
            "otel.traces.exporter", "otlp",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none"))
        .addPropertiesCustomizer(config -> overrides)
        .addSpanExporterCustomizer((exporter, config) -> new ScrubbedSpans(exporter))
        .build()
        .getOpenTelemetrySdk();
    return new Tracing(sdk);
  }

  /** Configured: an exporter other than {@code none} named, or an OTLP endpoint set; and the SDK not disabled. */
  static boolean configured(Map<String, String> properties) {
    if ("true".equalsIgnoreCase(properties.getOrDefault("otel.sdk.disabled", "").trim())) return false;
    String exporter = properties.get("otel.traces.exporter");
    if (exporter != null) return !exporter.isBlank() && !exporter.trim().equalsIgnoreCase("none");
    return properties.containsKey("otel.exporter.otlp.endpoint") || properties.containsKey("otel.exporter.otlp.traces.endpoint");
  }

  /** The tracing {@code vertx} was built with ({@link #build}), or {@link #OFF}. */
  public static Tracing of(Vertx vertx) {
    Tracing tracing = vertx == null ? null : BY_VERTX.get(vertx);
    return tracing == null ? OFF : tracing;
  }

  /** Builds a Vert.x instance that traces with this (or not at all, when off). */
  public Vertx build(VertxOptions options, java.util.function.UnaryOperator<io.vertx.core.VertxBuilder> more) {
    io.vertx.core.VertxBuilder builder = Vertx.builder().with(options);
    if (enabled()) builder.withTracer(new OpenTelemetryTracingFactory(sdk));
    Vertx vertx = more.apply(builder).build();
    if (enabled()) BY_VERTX.put(vertx, this);
    return vertx;
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** The gateway's own tracer; only when {@link #enabled()}. */
  public Tracer tracer() {
    return tracer;
  }

  public TextMapPropagator propagator() {
    return sdk.getPropagators().getTextMapPropagator();
  }

  /** Sends what is buffered; waits at most {@code bound} (a stop, a test). Never call on an event loop. */
  public void flush(Duration bound) {
    if (sdk != null) sdk.getSdkTracerProvider().forceFlush().join(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Flushes and stops the exporter (at the process's end). Never call on an event loop. */
  public void shutdown(Duration bound) {
    if (sdk != null) sdk.shutdown().join(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
