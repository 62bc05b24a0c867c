package dev.herald.store;

/** Work run inside a write transaction; it must not itself call {@link Database#write}. */
@FunctionalInterface
public interface TxWork<T> {
  T run(Tx tx) throws Exception;
}
