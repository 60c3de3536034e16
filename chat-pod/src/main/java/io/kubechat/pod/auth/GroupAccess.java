package io.kubechat.pod.auth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The groups a token may join, read, send to and leave: patterns where {@code *} stands for any run
 * of name characters ({@code team-*}, {@code *}); everything else is literal. {@link #ALL} when the
 * token has no such claim (or authentication is off).
 */
public final class GroupAccess {
  public static final GroupAccess ALL = new GroupAccess(null, List.of("*"));

  private final Pattern pattern;
  private final List<String> patterns;

  private GroupAccess(Pattern pattern, List<String> patterns) {
    this.pattern = pattern;
    this.patterns = patterns;
  }

  /** Access to the groups matching any of {@code patterns}; none when the list is empty. */
  public static GroupAccess of(List<String> patterns) {
    StringBuilder re = new StringBuilder();
    for (String p : patterns) {
      if (!re.isEmpty()) {
        re.append('|');
      }
      String[] parts = p.split("\\*", -1);
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          re.append(".*");
        }
        if (!parts[i].isEmpty()) {
          re.append(Pattern.quote(parts[i]));
        }
      }
    }
    // an empty list allows nothing: "(?!)" never matches
    return new GroupAccess(
        Pattern.compile(patterns.isEmpty() ? "(?!)" : re.toString()), List.copyOf(patterns));
  }

  public boolean allows(String group) {
    return pattern == null || pattern.matcher(group).matches();
  }

  public List<String> patterns() {
    return patterns;
  }

  @Override
  public String toString() {
    return "GroupAccess" + patterns;
  }
}
