/** Loopback mock push providers for tests and benchmarks. */
package dev.herald.testkit;
