package dev.mcpgateway.admin;

import dev.mcpgateway.analytics.Timeseries;
import dev.mcpgateway.analytics.TimeseriesRequest;
import dev.mcpgateway.analytics.TimeseriesWindow;
import dev.mcpgateway.analytics.ToolCallAnalytics;
import dev.mcpgateway.store.PortalStore;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.ToolCallQuery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * {@code GET .../mcp/analytics/tool-calls/timeseries} (the account), {@code .../analytics/servers/{server_id}/...}
 * (the calls a server answered, on its endpoint and through portals) and {@code .../analytics/portals/{portal_id}/...}
 * (the calls through a portal): Cloudflare's tool-call timeseries. The query is checked first (400), then the
 * server or portal (404), then the counts are read.
 */
final class AnalyticsHandlers {
  private final ServerStore servers;
  private final PortalStore portals;
  private final ToolCallAnalytics analytics;
  private final Clock clock;

  AnalyticsHandlers(ServerStore servers, PortalStore portals, ToolCallAnalytics analytics, Clock clock) {
    this.servers = servers;
    this.portals = portals;
    this.analytics = analytics;
    this.clock = clock;
  }

  void account(RoutingContext ctx) {
    TimeseriesRequest request = AnalyticsParameters.parse(ctx.queryParams());
    Envelope.respond(ctx, answer(request, ctx.pathParam("account_id"), null, null));
  }

  void server(RoutingContext ctx) {
    TimeseriesRequest request = AnalyticsParameters.parse(ctx.queryParams());
    String account = ctx.pathParam("account_id");
    String id = id(ctx.pathParam("server_id"), ErrorCode.SERVER_NOT_FOUND);
    Envelope.respond(ctx, servers.get(account, id).compose(found -> answer(request, account, id, null)));
  }

  void portal(RoutingContext ctx) {
    TimeseriesRequest request = AnalyticsParameters.parse(ctx.queryParams());
    String account = ctx.pathParam("account_id");
    String id = id(ctx.pathParam("portal_id"), ErrorCode.PORTAL_NOT_FOUND);
    Envelope.respond(ctx, portals.get(account, id).compose(found -> answer(request, account, null, id)));
  }

  private Future<JsonObject> answer(TimeseriesRequest request, String account, String serverId, String portalId) {
    TimeseriesWindow window = TimeseriesWindow.of(request, clock.instant(), analytics.retentionDays());
    return analytics.counts(new ToolCallQuery(account, serverId, portalId, window.start(), window.end()))
        .map(counts -> Envelope.success(render(request, window, Timeseries.of(request, window, counts))));
  }

  static JsonObject render(TimeseriesRequest request, TimeseriesWindow window, Timeseries timeseries) {
    JsonArray series = new JsonArray();
    for (Timeseries.Point point : timeseries.series()) {
      JsonObject entry = new JsonObject().put("day", point.day().toString());
      if (!request.aggregate()) entry.put("server_id", point.serverId()).put("tool", point.tool());
      series.add(entry.put("count", point.count()));
    }
    return new JsonObject()
        .put("granularity", request.granularity().wire())
        .put("aggregate", request.aggregate())
        .put("tz", request.tz())
        .put("start", window.start().toEpochMilli())
        .put("end", window.end().toEpochMilli())
        .put("series", series)
        .put("total", timeseries.total());
  }

  /** An id that no server or portal can have is simply not found. */
  private static String id(String id, ErrorCode notFound) {
    if (id == null || id.isEmpty() || id.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(id).matches()) {
      throw new ApiException(notFound);
    }
    return id;
  }
}
