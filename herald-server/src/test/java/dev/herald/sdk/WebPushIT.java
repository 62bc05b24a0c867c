package dev.herald.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import dev.herald.testing.ApiClient;
import dev.herald.testing.MockCertificates;
import dev.herald.testing.TestFiles;
import dev.herald.testing.TestServer;
import dev.herald.testkit.webpush.MockPushService;
import dev.herald.testkit.webpush.MockSubscription;
import dev.herald.testkit.webpush.ReceivedPush;
import dev.herald.web.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * herald-push.js and herald-sw.js in Chromium, on a page of another origin that serves a one-line
 * worker importing Herald's. Headless Chromium without network cannot reach a real push service, so
 * one piece is stubbed: {@code PushManager.subscribe} answers a subscription of the loopback {@link
 * MockPushService} (whose keys are real). Everything else is real: the VAPID key comes from Herald,
 * the device is registered through the API, Herald encrypts and sends the push to the mock, and the
 * payload the mock decrypted is handed to the service worker as a push event through the DevTools
 * protocol ({@code ServiceWorker.deliverPushMessage}), where it shows the notification.
 */
class WebPushIT {
  static MockPushService pushService;
  static Path caDir;
  static PageServer pages;
  static TestServer server;
  static Chromium chromium;

  @BeforeAll
  static void start() throws IOException {
    pushService = MockPushService.start();
    caDir = Files.createTempDirectory("herald-ca");
    Path ca = MockCertificates.pemFile(caDir, URI.create(pushService.origin()));
    pages = PageServer.start();
    server =
        TestServer.builder()
            .env("HERALD_PROVIDER_CA_FILE", ca.toString())
            .env("HERALD_CORS_ORIGINS", pages.origin())
            .start();
    pages
        .html("/push.html", pushPage(server.baseUrl(), TestServer.PUBLISHABLE_KEY))
        .script("/herald-sw.js", "importScripts('" + server.baseUrl() + "/sdk/herald-sw.js');");
    chromium = Chromium.launch();
  }

  @AfterAll
  static void stop() {
    chromium.close();
    server.close();
    pages.close();
    pushService.close();
    TestFiles.deleteQuietly(caDir);
  }

  @Test
  void theHelperRegistersTheDeviceAndTheWorkerShowsWhatHeraldPushed() {
    HeraldCalls backend = new HeraldCalls(server.api());
    String token = backend.tokenFor("wendy");
    String vapidKey =
        new ApiClient(server.baseUrl())
            .withKey(TestServer.PUBLISHABLE_KEY)
            .get("/v1/providers/webpush/public-key")
            .json()
            .get("public_key")
            .asString();
    MockSubscription subscription = pushService.subscribe(vapidKey);
    BrowserContext browser = chromium.newContext();
    browser.grantPermissions(
        List.of("notifications"),
        new BrowserContext.GrantPermissionsOptions().setOrigin(pages.origin()));
    browser.addInitScript(pushManagerStub(subscription));
    Page page = browser.newPage();
    page.navigate(pages.origin() + "/push.html#token=" + token);
    page.waitForFunction("() => window.push !== undefined");

    JsonNode device = Json.tree(Json.write(page.evaluate("() => window.push.subscribe()")));

    assertThat(device.get("provider").asString()).isEqualTo("webpush");
    assertThat(page.evaluate("() => window.subscribeCalls"))
        .isEqualTo(List.of(Map.of("userVisibleOnly", true, "applicationServerKey", vapidKey)));
    JsonNode registered = backend.api().get("/v1/subscribers/wendy/devices").json().get("data");
    assertThat(registered).hasSize(1);
    assertThat(registered.get(0).get("id").asString()).isEqualTo(device.get("id").asString());
    assertThat(registered.get(0).get("platform").asString()).isEqualTo("web");
    assertThat(registered.get(0).get("subscription").get("endpoint").asString())
        .isEqualTo(subscription.endpoint());
    assertThat(workerConfig(page))
        .containsEntry("url", server.baseUrl())
        .containsEntry("token", token);

    String url = pages.origin() + "/trips/7";
    backend.sendInApp(
        "wendy",
        "Flight delayed",
        Map.of(
            "channels",
            List.of("push"),
            "body",
            "Now boarding at 10:40",
            "url",
            url,
            "data",
            Map.of("icon", pages.origin() + "/icon.png")));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> pushService.received(subscription).size() == 1);
    ReceivedPush push = pushService.received(subscription).getFirst();
    JsonNode payload = Json.tree(push.payloadText());
    assertThat(payload.get("title").asString()).isEqualTo("Flight delayed");

    List<?> shown = deliverAndAwaitNotifications(browser, page, push.payloadText());

    assertThat(shown).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> notification = (Map<String, Object>) shown.getFirst();
    assertThat(notification)
        .containsEntry("title", "Flight delayed")
        .containsEntry("body", "Now boarding at 10:40")
        .containsEntry("icon", pages.origin() + "/icon.png")
        .containsEntry("tag", payload.get("id").asString());
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) notification.get("data");
    assertThat(data)
        .containsEntry("url", url)
        .containsEntry("delivery_id", payload.get("id").asString());
    browser.close();
  }

  /**
   * Hands the payload to the worker as a push event through DevTools, as the browser's push client
   * would, and answers the notifications the worker then shows. DevTools does not acknowledge the
   * delivery, and rarely a push dispatched this way never reached the worker, so it is delivered
   * again after a few quiet seconds: the notification's tag makes a repeat replace, not add.
   */
  private static List<?> deliverAndAwaitNotifications(
      BrowserContext browser, Page page, String payload) {
    CDPSession cdp = browser.newCDPSession(page);
    String scope = pages.origin() + "/";
    String[] registration = new String[1];
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        event -> {
          for (var r : event.getAsJsonArray("registrations")) {
            JsonObject o = r.getAsJsonObject();
            if (o.get("scopeURL").getAsString().equals(scope) && !o.get("isDeleted").getAsBoolean())
              registration[0] = o.get("registrationId").getAsString();
          }
        });
    cdp.send("ServiceWorker.enable");
    page.waitForCondition(() -> registration[0] != null);
    JsonObject push = new JsonObject();
    push.addProperty("origin", pages.origin());
    push.addProperty("registrationId", registration[0]);
    push.addProperty("data", payload);
    String read =
        "async () => (await (await navigator.serviceWorker.getRegistration()).getNotifications())"
            + ".map(n => ({title: n.title, body: n.body, icon: n.icon, tag: n.tag, data: n.data}))";
    List<?>[] shown = new List<?>[1];
    for (int attempt = 1; ; attempt++) {
      cdp.send("ServiceWorker.deliverPushMessage", push);
      try {
        page.waitForCondition(
            () -> !(shown[0] = (List<?>) page.evaluate(read)).isEmpty(),
            new Page.WaitForConditionOptions().setTimeout(5_000));
        return shown[0];
      } catch (TimeoutError e) {
        if (attempt == 3) throw e;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> workerConfig(Page page) {
    return (Map<String, Object>)
        page.evaluate(
            "async () => (await (await caches.open('herald')).match(location.origin + '/__herald-config')).json()");
  }

  private static String pushPage(String heraldUrl, String publishableKey) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Travel</title></head>
        <body>
        <script type="module">
          import { createHerald } from '%1$s/sdk/herald.js';
          import { createHeraldPush } from '%1$s/sdk/herald-push.js';
          const token = new URLSearchParams(location.hash.slice(1)).get('token');
          const herald = createHerald({ url: '%1$s', publishableKey: '%2$s', token });
          window.push = createHeraldPush(herald, { serviceWorker: '/herald-sw.js' });
        </script>
        </body></html>
        """
        .formatted(heraldUrl, publishableKey);
  }

  /**
   * Replaces PushManager.subscribe and getSubscription with ones that answer the mock's
   * subscription, recording what the page asked for.
   */
  private static String pushManagerStub(MockSubscription subscription) {
    return """
        (() => {
          const json = %s;
          let current = null;
          window.subscribeCalls = [];
          const b64url = (key) => btoa(String.fromCharCode(...new Uint8Array(key.buffer ?? key)))
            .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
          PushManager.prototype.subscribe = async function (options) {
            const applicationServerKey = b64url(options.applicationServerKey);
            window.subscribeCalls.push({ userVisibleOnly: options.userVisibleOnly, applicationServerKey });
            current = {
              endpoint: json.endpoint,
              expirationTime: null,
              options: { userVisibleOnly: true, applicationServerKey: options.applicationServerKey.buffer },
              toJSON: () => json,
              unsubscribe: async () => { current = null; return true; },
            };
            return current;
          };
          PushManager.prototype.getSubscription = async function () { return current; };
        })();
        """
        .formatted(subscription.toJson());
  }
}
