package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.signin.AgentAuthenticator;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.upstream.oauth.OAuthConnector;
import dev.mcpgateway.upstream.oauth.OAuthSettings;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a user switches a portal's members on or off for their agent, and connects the on-behalf
 * OAuth ones: {@code GET /portals/{account_id}/{portal_id}/servers?ticket=…} (the URL
 * {@code portal_toggle_servers} answers) renders the members the agent's client token may use,
 * each with its state, a switch, and a "Connect" link where the user has no working connection;
 * each switch is a form that POSTs {@code ticket}, {@code server} and {@code action}
 * ({@code on}, {@code off}, or {@code reset}: every member on) to the same URL, answered 303 back
 * to the page. The sealed {@link SwitchesTicket} is the only credential, posted in the form body
 * (and, if the URL has one too, equal to it). Refusals change nothing: no ticket 400, a ticket
 * that does not open here or has expired 403 (both count towards {@code limits.auth_failures_per_minute},
 * then 429), no such portal 404, store down 503. Every answer carries a strict
 * Content-Security-Policy ({@link SwitchesHtml}), {@code no-store} and no referrer.
 */
public final class SwitchesPage {
  private static final System.Logger LOG = System.getLogger(SwitchesPage.class.getName());
  public static final String PATH = "/portals/:account_id/:portal_id/servers";
  static final int MAX_FORM_BYTES = 8192;
  private static final int MAX_TICKET_CHARS = 4096;

  /** Why a request changed nothing, as the page answers it. */
  private static final class Refusal extends RuntimeException {
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private record Access(SwitchesTicket.Ticket ticket, String sealed, Agent client, Portal portal) {}

  private final SwitchesTicket tickets;
  private final AgentAuthenticator agents;
  private final PortalDirectory directory;
  private final PortalSwitches switches;
  private final MemberConnections connections;
  private final AuthThrottle authFailures;
  private final GatewayMetrics metrics;
  private final String publicBaseUrl;

  /** Tickets are sealed with a key derived from {@code gatewayCipher} and expire after {@code oauth.authorizationTtl()}. */
  public SwitchesPage(SecretCipher gatewayCipher, Clock clock, OAuthSettings oauth, OAuthConnector connector, CapabilityCache cache,
      AgentAuthenticator agents, PortalDirectory directory, PortalSwitches switches, AuthThrottle authFailures, GatewayMetrics metrics) {
    this.tickets = new SwitchesTicket(gatewayCipher, clock, oauth.authorizationTtl());
    this.agents = agents;
    this.directory = directory;
    this.switches = switches;
    this.connections = new MemberConnections(cache, connector);
    this.authFailures = authFailures;
    this.metrics = metrics;
    String base = oauth.publicBaseUrl();
    this.publicBaseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** Members with the links to connect them, as this page shows them (also for {@code portal_toggle_single_server}). */
  MemberConnections connections() {
    return connections;
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::show);
    router.post(PATH).handler(this::change);
    router.route(PATH).handler(ctx -> {
      ctx.response().putHeader("Allow", "GET, POST");
      send(ctx, 405, SwitchesHtml.problem("Method not allowed", "Use the page's forms."));
    });
  }

  /** The page's URL for {@code holder}'s switches on {@code portal}, as the user's browser reaches the gateway. */
  String url(Portal portal, Agent client, ToggleHolder holder) {
    return publicBaseUrl + self(portal.accountId(), portal.id(), tickets.issue(portal, client, holder));
  }

  private static String self(String accountId, String portalId, String sealed) {
    return "/portals/" + accountId + "/" + portalId + "/servers?ticket=" + URLEncoder.encode(sealed, StandardCharsets.UTF_8);
  }

  private void show(RoutingContext ctx) {
    admit(ctx, ctx.queryParams().get("ticket"))
        .compose(access -> switches.off(access.portal(), access.ticket().holder()).compose(off -> {
          List<Future<MemberConnections.State>> states = new ArrayList<>();
          for (PortalServer mapping : access.portal().servers()) {
            if (PortalMembers.reachable(access.portal(), access.client(), mapping.serverId())) {
              states.add(connections.state(access.portal(), mapping, access.client().name()));
            }
          }
          return Future.all(states).map(all -> {
            List<SwitchesHtml.Row> rows = new ArrayList<>();
            for (Future<MemberConnections.State> f : states) {
              MemberConnections.State s = f.result();
              rows.add(new SwitchesHtml.Row(s.mapping().serverId(), s.server() == null ? null : s.server().name(),
                  s.server() == null ? null : s.server().status().wire(), !off.contains(s.mapping().serverId()), s.connectUrl()));
            }
            return SwitchesHtml.page(access.portal().name(), access.ticket().holder().scope(), rows,
                self(access.portal().accountId(), access.portal().id(), access.sealed()), access.sealed());
          });
        }))
        .onSuccess(html -> send(ctx, 200, html))
        .onFailure(e -> refuse(ctx, e));
  }

  private void change(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded")) {
      refuse(ctx, new Refusal(415, "The switches accept only the page's own forms."));
      return;
    }
    BoundedBody.read(ctx.request(), MAX_FORM_BYTES).compose(body -> {
      Map<String, String> form = form(body);
      String sealed = form.get("ticket");
      String inUrl = ctx.queryParams().get("ticket");
      if (sealed != null && inUrl != null && !inUrl.equals(sealed)) {
        authFailures.failed(ctx.request());
        return Future.failedFuture(new Refusal(403, "The form's ticket is not this page's."));
      }
      return admit(ctx, sealed).compose(access -> apply(access, form.get("action"), form.get("server")).map(access));
    }).onSuccess(access -> ctx.response().setStatusCode(303).putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Location", self(access.portal().accountId(), access.portal().id(), access.sealed())).end())
        .onFailure(e -> refuse(ctx, e instanceof BoundedBody.TooLarge ? new Refusal(413, "The form is too large.") : e));
  }

  private Future<Void> apply(Access access, String action, String serverId) {
    Portal portal = access.portal();
    ToggleHolder holder = access.ticket().holder();
    Future<?> done;
    if ("reset".equals(action)) {
      done = switches.reset(portal, holder);
    } else if ("on".equals(action) || "off".equals(action)) {
      if (serverId == null || !PortalMembers.reachable(portal, access.client(), serverId)) {
        metrics.portalToggle(portal.accountId(), portal.id(), "page", "refused");
        return Future.failedFuture(new Refusal(400, "That is not one of this portal's servers."));
      }
      done = switches.turn(portal, holder, serverId, "on".equals(action));
    } else {
      return Future.failedFuture(new Refusal(400, "Unknown action."));
    }
    return done.<Void>mapEmpty()
        .onSuccess(v -> metrics.portalToggle(portal.accountId(), portal.id(), "page", action))
        .recover(e -> {
          metrics.portalToggle(portal.accountId(), portal.id(), "page", "failed");
          return Future.failedFuture(new Refusal(503, "The gateway's store is unavailable: nothing changed. Try again later."));
        });
  }

  /** The ticket's portal and client, or a {@link Refusal}: throttled, no ticket, a ticket that does not open here, no such portal. */
  private Future<Access> admit(RoutingContext ctx, String sealed) {
    if (authFailures.blocked(ctx.request())) {
      ctx.response().putHeader("Retry-After", "60");
      return Future.failedFuture(new Refusal(429, "Too many failed attempts from this address: try again in a minute."));
    }
    String account = ctx.pathParam("account_id");
    String id = ctx.pathParam("portal_id");
    SwitchesTicket.Ticket ticket;
    try {
      if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_TICKET_CHARS) {
        throw new Refusal(400, "This page needs the ticket of the link your agent gave you.");
      }
      ticket = tickets.open(sealed, account, id);
    } catch (SwitchesTicket.Refused refused) {
      authFailures.failed(ctx.request());
      metrics.portalToggle(account, id, "page", "refused");
      return Future.failedFuture(new Refusal(403, refused.getMessage()));
    } catch (Refusal missing) {
      authFailures.failed(ctx.request());
      return Future.failedFuture(missing);
    }
    return agents.named(ticket.client(), account)
        .recover(e -> Future.failedFuture(new Refusal(503, "The gateway's store is unavailable. Try again later.")))
        .compose(named -> {
          // a user's or service token's reach is what access policies left it when the ticket was issued
          Agent client = named.filter(c -> c.mayUseAccount(account))
              .map(c -> ticket.servers() == null ? c : c.within(ticket.servers())).orElse(null);
          if (client == null) return Future.failedFuture(new Refusal(403, "The client this link was issued to may no longer use this portal."));
          return directory.get(account, id)
              .recover(e -> Future.failedFuture(new Refusal(503, "The gateway's store is unavailable. Try again later.")))
              .compose(portal -> portal.isEmpty() ? Future.failedFuture(new Refusal(404, "This portal does not exist any more."))
                  : Future.succeededFuture(new Access(ticket, sealed, client, portal.get())));
        });
  }

  /** {@code application/x-www-form-urlencoded}; a field given twice is refused (which one would count?). */
  static Map<String, String> form(Buffer body) {
    Map<String, String> fields = new HashMap<>();
    try {
      for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (fields.putIfAbsent(name, value) != null) throw new Refusal(400, "The form has a field twice.");
      }
    } catch (IllegalArgumentException malformed) {
      throw new Refusal(400, "The form is malformed.");
    }
    return fields;
  }

  private static void refuse(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof Refusal)) LOG.log(System.Logger.Level.ERROR, "portal switches page failed", failure);
    Refusal refusal = failure instanceof Refusal r ? r : new Refusal(500, "Something went wrong: nothing changed.");
    String title = switch (refusal.status) {
      case 400, 413, 415 -> "Bad request";
      case 403 -> "Link refused";
      case 404 -> "Not found";
      case 429 -> "Too many attempts";
      case 503 -> "Unavailable";
      default -> "Error";
    };
    send(ctx, refusal.status, SwitchesHtml.problem(title, refusal.getMessage()));
  }

  private static void send(RoutingContext ctx, int status, String html) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", SwitchesHtml.CONTENT_SECURITY_POLICY)
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .end(html);
  }
}
