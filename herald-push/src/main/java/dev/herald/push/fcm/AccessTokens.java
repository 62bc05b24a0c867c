package dev.herald.push.fcm;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.RequestMetadataCallback;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * OAuth2 access tokens for one service account, from google-auth-library's {@link
 * ServiceAccountCredentials}: it signs a JWT assertion, exchanges it at the account's {@code
 * token_uri}, caches the token and refreshes it in the background during the last minutes before it
 * expires (one refresh at a time, whatever the number of callers). Thread-safe.
 */
final class AccessTokens {
  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

  private final ServiceAccountCredentials credentials;
  private final Executor refresher;

  AccessTokens(FcmServiceAccount account, SSLContext sslContext, Executor refresher) {
    HttpTransport transport =
        sslContext == null
            ? new NetHttpTransport()
            : new NetHttpTransport.Builder()
                .setSslSocketFactory(sslContext.getSocketFactory())
                .build();
    this.credentials =
        ServiceAccountCredentials.newBuilder()
            .setProjectId(account.projectId())
            .setClientEmail(account.clientEmail())
            .setPrivateKeyId(account.privateKeyId())
            .setPrivateKey(account.privateKey())
            .setTokenServerUri(account.tokenUri())
            .setScopes(List.of(SCOPE))
            .setHttpTransportFactory(() -> transport)
            // a failed exchange becomes a Retry outcome; the caller's backoff decides when
            .setDefaultRetriesEnabled(false)
            .build();
    this.refresher = refresher;
  }

  /** The {@code Authorization} header value, {@code "Bearer …"}; fails if no token can be had. */
  CompletableFuture<String> authorization() {
    CompletableFuture<String> header = new CompletableFuture<>();
    credentials.getRequestMetadata(
        null,
        refresher,
        new RequestMetadataCallback() {
          @Override
          public void onSuccess(Map<String, List<String>> metadata) {
            List<String> values = metadata.get("Authorization");
            if (values == null || values.isEmpty())
              header.completeExceptionally(new IllegalStateException("no Authorization header"));
            else header.complete(values.get(0));
          }

          @Override
          public void onFailure(Throwable failure) {
            header.completeExceptionally(failure);
          }
        });
    return header;
  }
}
