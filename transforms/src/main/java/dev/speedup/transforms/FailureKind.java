package dev.speedup.transforms;

/** Why an input produced no result. Stable names: they are written to {@code failures.jsonl}. */
public enum FailureKind {
  /** A URI the fetch does not accept (not http or https, or no host). */
  INVALID_URI,
  /** The server answered a non-2xx status (after retries, for retryable ones). */
  HTTP_STATUS,
  /** No complete answer within the per-attempt timeout. */
  TIMEOUT,
  /** The connection could not be made, was reset, or closed before the whole body arrived. */
  CONNECTION,
  /** The body was larger than the configured maximum. */
  TOO_LARGE,
  /** The body is not the JSON document expected. */
  MALFORMED_JSON,
  /** A well-formed document that carries no readings for its day. */
  EMPTY_DAY,
  /** The file's bytes are not a decodable image, or it decodes with errors (e.g. truncated). */
  CORRUPT_IMAGE,
  /** The image header declares more pixels than the configured cap (e.g. a decompression bomb). */
  TOO_MANY_PIXELS,
  /** The file is in a format no installed decoder reads. */
  UNSUPPORTED_FORMAT,
  /** The file could not be read. */
  UNREADABLE,
  /** The file is empty (zero bytes). */
  EMPTY_FILE,
  /** The file's bytes carry no known image signature (e.g. text named .jpeg). */
  NOT_AN_IMAGE,
  /** The result was made but could not be written (e.g. the disk is full, or a name is too long for it). */
  WRITE_FAILED
}
