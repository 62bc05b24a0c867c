package dev.herald.cli;

import dev.herald.push.webpush.VapidKeys;
import dev.herald.web.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code herald vapid generate}: a new VAPID key pair in the shape PUT /v1/providers/webpush takes.
 */
@Command(
    name = "vapid",
    mixinStandardHelpOptions = true,
    description = "VAPID keys for Web Push.",
    subcommands = VapidCommand.Generate.class)
public final class VapidCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("Use: herald vapid generate");
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = "Print a new P-256 key pair as JSON.")
  static final class Generate implements Callable<Integer> {
    @Override
    public Integer call() {
      VapidKeys keys = VapidKeys.generate();
      Map<String, String> out = new LinkedHashMap<>();
      out.put("public_key", keys.publicKeyBase64Url());
      out.put("private_key", keys.privateKeyBase64Url());
      System.out.println(Json.write(out));
      return 0;
    }
  }
}
