package dev.mcpgateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay to {@code host:port} whose link the test cuts and restores: a database outage for one
 * gateway only, without stopping the PostgreSQL server that other tests (and other people's test
 * runs on this machine) share. Cut, it closes every relayed connection and every new one at once —
 * what a database restart or a network partition looks like to the client.
 */
public final class CuttableTcpProxy {
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private CuttableTcpProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  public static Future<CuttableTcpProxy> start(Vertx vertx, String host, int port) {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    CuttableTcpProxy proxy = new CuttableTcpProxy(server, client);
    server.connectHandler(inbound -> {
      if (proxy.cut) {
        inbound.close();
        return;
      }
      inbound.pause();
      client.connect(port, host).onSuccess(outbound -> {
        proxy.open.add(inbound);
        proxy.open.add(outbound);
        inbound.closeHandler(v -> outbound.close());
        outbound.closeHandler(v -> inbound.close());
        inbound.pipeTo(outbound);
        outbound.pipeTo(inbound);
        inbound.resume();
      }).onFailure(e -> inbound.close());
    });
    return server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  public int port() {
    return server.actualPort();
  }

  /** Closes every relayed connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    cut = true;
    open.forEach(NetSocket::close);
    open.clear();
  }

  public void restore() {
    cut = false;
  }

  public Future<Void> close() {
    cut();
    return server.close().eventually(client::close);
  }
}
