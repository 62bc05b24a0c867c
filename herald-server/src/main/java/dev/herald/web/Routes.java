package dev.herald.web;

import io.javalin.router.JavalinDefaultRoutingApi;

/** A feature's HTTP routes; each feature registers its own. */
@FunctionalInterface
public interface Routes {
  void register(JavalinDefaultRoutingApi routes);
}
