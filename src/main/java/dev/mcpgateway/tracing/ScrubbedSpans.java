package dev.mcpgateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;

/**
 * Every span leaves without a URL's query: Vert.x's HTTP spans record the full request URI, and a
 * query may carry what must never leave the gateway — an OAuth authorization code on a callback,
 * a {@code state}, a token some client put in a URL. {@code url.query} is dropped, and
 * {@code http.url}/{@code url.full} are cut at {@code ?}. Applied at export, so it holds for every
 * span whoever made it.
 */
final class ScrubbedSpans implements SpanExporter {
  private static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
  private static final List<AttributeKey<String>> URLS = List.of(AttributeKey.stringKey("http.url"), AttributeKey.stringKey("url.full"));

  private final SpanExporter exporter;

  ScrubbedSpans(SpanExporter exporter) {
    this.exporter = exporter;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return exporter.export(spans.stream().map(ScrubbedSpans::scrub).toList());
  }

  static SpanData scrub(SpanData span) {
    Attributes attributes = span.getAttributes();
    boolean dirty = attributes.get(QUERY) != null;
    for (AttributeKey<String> url : URLS) {
      String value = attributes.get(url);
      if (value != null && value.indexOf('?') >= 0) dirty = true;
    }
    if (!dirty) return span;
    AttributesBuilder clean = attributes.toBuilder().remove(QUERY);
    for (AttributeKey<String> url : URLS) {
      String value = attributes.get(url);
      if (value != null && value.indexOf('?') >= 0) clean.put(url, value.substring(0, value.indexOf('?')));
    }
    Attributes scrubbed = clean.build();
    return new DelegatingSpanData(span) {
      @Override
      public Attributes getAttributes() {
        return scrubbed;
      }

      @Override
      public int getTotalAttributeCount() {
        return scrubbed.size();
      }
    };
  }

  @Override
  public CompletableResultCode flush() {
    return exporter.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return exporter.shutdown();
  }
}
