package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;

/**
 * A customer's page with {@code <herald-inbox>} imported from Herald, and what a test reads from
 * it: the badge, the list as shown, and the log of inbox events the SDK emitted ({@code seq type
 * title}, in the order the page saw them).
 */
final class InboxPage {
  static final String PATH = "/inbox.html";

  private final Page page;

  InboxPage(Page page) {
    this.page = page;
  }

  /**
   * The page's HTML: the subscriber token comes in the address's fragment ({@code #token=…}); with
   * {@code &renew=…} the element's getToken answers that token (and counts its calls).
   */
  static String html(String heraldUrl, String publishableKey) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
        <body>
        <h1>Shop</h1>
        <herald-inbox link-target="_blank"></herald-inbox>
        <script type="module">
          import '%1$s/sdk/herald-inbox.js';
          const inbox = document.querySelector('herald-inbox');
          const params = new URLSearchParams(location.hash.slice(1));
          window.heraldLog = [];
          window.heraldStates = [];
          window.heraldRenewals = 0;
          if (params.has('renew')) {
            inbox.getToken = async () => { heraldRenewals++; return params.get('renew'); };
          }
          inbox.setAttribute('url', '%1$s');
          inbox.setAttribute('publishable-key', '%2$s');
          inbox.setAttribute('token', params.get('token'));
          inbox.live.addEventListener('event', (e) =>
            heraldLog.push(`${e.detail.seq} ${e.detail.type} ${e.detail.item?.title ?? ''}`.trim()));
          inbox.live.addEventListener('state', (e) => heraldStates.push(e.detail.state));
        </script>
        </body></html>
        """
        .formatted(heraldUrl, publishableKey);
  }

  /** Opens the page for a subscriber; answers once the element has started. */
  static InboxPage open(Page page, String origin, String token) {
    return openAt(page, origin + PATH + "#token=" + token);
  }

  static InboxPage openAt(Page page, String url) {
    page.navigate(url);
    InboxPage inbox = new InboxPage(page);
    page.waitForFunction("() => document.querySelector('herald-inbox')?.live != null");
    return inbox;
  }

  Page page() {
    return page;
  }

  /** Waits until the live connection is up (its `ready` came). */
  InboxPage awaitLive() {
    page.waitForFunction("() => document.querySelector('herald-inbox').live.state === 'live'");
    return this;
  }

  Locator bell() {
    return page.locator("herald-inbox .bell");
  }

  Locator badge() {
    return page.locator("herald-inbox .badge");
  }

  Locator panel() {
    return page.locator("herald-inbox .panel");
  }

  Locator items() {
    return page.locator("herald-inbox li.item");
  }

  Locator item(String title) {
    return items().filter(new Locator.FilterOptions().setHasText(title));
  }

  /** Titles as listed, top to bottom. */
  List<String> titles() {
    return page.locator("herald-inbox li.item .title").allTextContents();
  }

  @SuppressWarnings("unchecked")
  List<String> log() {
    return (List<String>) page.evaluate("() => window.heraldLog.slice()");
  }

  /** What the element shows for the unread count: 0 when the badge is hidden. */
  int badgeCount() {
    Object shown =
        page.evaluate(
            "() => { const b = document.querySelector('herald-inbox').shadowRoot.querySelector('.badge');"
                + " return b.hidden ? '0' : b.textContent; }");
    return Integer.parseInt((String) shown);
  }

  /** The element inside the shadow root that has focus, as {tag, class, title}. */
  @SuppressWarnings("unchecked")
  Map<String, String> focused() {
    return (Map<String, String>)
        page.evaluate(
            "() => { const a = document.querySelector('herald-inbox').shadowRoot.activeElement;"
                + " return a ? {tag: a.tagName, cls: a.className,"
                + " title: a.querySelector?.('.title')?.textContent ?? ''} : {tag: 'none'}; }");
  }

  void assertClosed() {
    assertThat(panel().isHidden()).isTrue();
    assertThat(bell().getAttribute("aria-expanded")).isEqualTo("false");
  }
}
