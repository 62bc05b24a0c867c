package dev.herald.email;

import dev.herald.email.UnsubscribeTokens.Unsubscribe;
import dev.herald.preference.Preferences;
import dev.herald.preference.Preferences.OptOut;
import dev.herald.store.Database;
import dev.herald.web.ApiException;
import dev.herald.web.Routes;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * One-click unsubscribe (RFC 8058), authorised by the signed token in the link alone. {@code POST}
 * with {@code List-Unsubscribe=One-Click} (what mail clients send) turns the channel off for the
 * link's category in the subscriber's preferences (a locked category still ignores it); {@code GET}
 * only shows a page with a button that makes that POST, because mail scanners and link previews
 * follow links without anyone asking.
 */
public final class UnsubscribeRoutes implements Routes {
  private final UnsubscribeTokens tokens;
  private final Database db;
  private final Preferences preferences;

  public UnsubscribeRoutes(UnsubscribeTokens tokens, Database db, Preferences preferences) {
    this.tokens = tokens;
    this.db = db;
    this.preferences = preferences;
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.get(UnsubscribeLinks.PATH, this::confirm);
    r.post(UnsubscribeLinks.PATH, this::unsubscribe);
  }

  private void confirm(Context ctx) {
    String token = ctx.queryParam("t");
    Unsubscribe u = verify(token);
    page(
        ctx,
        "Unsubscribe",
        "<p>Stop receiving "
            + what(u)
            + " by email?</p>"
            // A relative action keeps the page working behind a proxy that adds a path prefix.
            + "<form method=\"post\" action=\"?t="
            + token
            + "\">"
            + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
            + "<button type=\"submit\">Unsubscribe</button></form>");
  }

  private void unsubscribe(Context ctx) {
    Unsubscribe u = verify(ctx.queryParam("t"));
    if (!"One-Click".equals(ctx.formParam("List-Unsubscribe"))) {
      throw ApiException.invalid(
          "List-Unsubscribe", "the form body must be List-Unsubscribe=One-Click (RFC 8058)");
    }
    // An erased subscriber receives nothing anyway; no preference is left behind for them.
    OptOut done =
        db.write(
            tx -> preferences.optOut(tx, u.appId(), u.subscriberId(), u.category(), u.channel()));
    if (done == OptOut.LOCKED) {
      page(
          ctx,
          "Cannot unsubscribe",
          "<p>"
              + capitalized(what(u))
              + " cannot be turned off, so they will still arrive by email.</p>");
      return;
    }
    page(
        ctx,
        "Unsubscribed",
        "<p>You will no longer receive "
            + what(u)
            + " by email.</p>"
            + (u.category() == null
                ? "<p>Notifications that cannot be turned off will still arrive.</p>"
                : ""));
  }

  private Unsubscribe verify(String token) {
    return tokens
        .verify(token)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    "t", "is not a valid unsubscribe link; it may have been cut or changed"));
  }

  private static String what(Unsubscribe u) {
    return u.category() == null
        ? "notifications"
        : "notifications about <strong>" + escape(u.category()) + "</strong>";
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static void page(Context ctx, String title, String body) {
    // Nothing on the page runs or loads, and no other site may frame it to borrow a click.
    ctx.header(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType("text/html; charset=utf-8");
    ctx.result(
        ("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>"
                + title
                + "</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}"
                + "button{font:inherit;padding:.5rem 1.25rem}</style></head><body><h1>"
                + title
                + "</h1>"
                + body
                + "</body></html>")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
