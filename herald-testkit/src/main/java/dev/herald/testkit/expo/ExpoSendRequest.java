package dev.herald.testkit.expo;

/**
 * One request to {@code /push/send} as it arrived.
 *
 * @param messages how many messages (recipients) the body held
 * @param wireBytes the body's size on the wire, compressed or not
 * @param gzipped whether the body came with {@code Content-Encoding: gzip}
 * @param acceptsGzip whether {@code Accept-Encoding} offered gzip
 * @param authorization the {@code Authorization} header, or null
 */
public record ExpoSendRequest(
    int messages, long wireBytes, boolean gzipped, boolean acceptsGzip, String authorization) {}
