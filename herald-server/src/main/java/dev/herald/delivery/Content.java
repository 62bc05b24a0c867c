package dev.herald.delivery;

import java.util.Map;

/** What a notification says, the same for every channel until templates render per channel. */
public record Content(
    String title, String body, Map<String, Object> data, String url, String image) {}
