package dev.herald.bench;

final class Placeholder {}
