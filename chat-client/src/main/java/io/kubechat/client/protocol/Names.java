package io.kubechat.client.protocol;

import java.util.regex.Pattern;

/** The name and id patterns of docs/protocol.md, checked before anything is sent. */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private Names() {}

  public static boolean isName(String s) {
    return s != null && NAME.matcher(s).matches();
  }

  public static boolean isMessageId(String s) {
    return s != null && MESSAGE_ID.matcher(s).matches();
  }

  /** Returns {@code value} or throws naming {@code what} when it is not a valid name. */
  public static String requireName(String what, String value) {
    if (!isName(value)) {
      throw new IllegalArgumentException(what + " must match [A-Za-z0-9._-]{1,64}, got: " + value);
    }
    return value;
  }
}
