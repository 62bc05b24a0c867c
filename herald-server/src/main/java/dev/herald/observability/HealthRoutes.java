package dev.herald.observability;

import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /health} (every check), {@code /health/live} (the process answers) and {@code
 * /health/ready} (503 until started and again while draining), plus {@code /metrics}.
 */
public final class HealthRoutes implements Routes {
  private final Map<String, Supplier<String>> checks;
  private final BooleanSupplier ready;
  private final Supplier<String> metrics;

  /**
   * @param checks name → "up", "down" or another word such as "not_configured"; only "down" fails
   */
  public HealthRoutes(
      Map<String, Supplier<String>> checks, BooleanSupplier ready, Supplier<String> metrics) {
    this.checks = checks;
    this.ready = ready;
    this.metrics = metrics;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get("/health", this::health);
    r.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
    r.get("/health/ready", this::ready);
    r.get(
        "/metrics",
        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get()));
  }

  private void health(Context ctx) {
    Map<String, Object> body = report();
    ctx.status("up".equals(body.get("status")) ? 200 : 503).json(body);
  }

  private void ready(Context ctx) {
    Map<String, Object> body = report();
    boolean ok = ready.getAsBoolean() && "up".equals(body.get("status"));
    if (!ready.getAsBoolean()) body.put("status", "down");
    ctx.status(ok ? 200 : 503).json(body);
  }

  private Map<String, Object> report() {
    Map<String, Object> results = new LinkedHashMap<>();
    boolean up = true;
    for (Map.Entry<String, Supplier<String>> c : checks.entrySet()) {
      String state;
      try {
        state = c.getValue().get();
      } catch (RuntimeException e) {
        state = "down";
      }
      results.put(c.getKey(), Map.of("status", state));
      up &= !state.equals("down");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", up ? "up" : "down");
    body.put("checks", results);
    return body;
  }
}
