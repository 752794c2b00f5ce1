package io.meridian.tenant;

/**
 * Tenant IDs as Cortex and Mimir accept them (so the same senders work): 1 to 150 characters of
 * letters, digits and {@code !-_.*'()}, not {@code .} or {@code ..}. Safe as a directory name.
 */
public final class TenantId {
  public static final int MAX_LENGTH = 150;

  private TenantId() {}

  /** Why {@code id} is not a valid tenant ID, or null when it is. */
  public static String invalidReason(String id) {
    if (id.isEmpty()) {
      return "tenant ID is empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "tenant ID is longer than " + MAX_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "tenant ID is '.' or '..'";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!-_.*'()".indexOf(c) >= 0;
      if (!ok) {
        return "tenant ID contains unsupported character '" + c + "'";
      }
    }
    return null;
  }
}
