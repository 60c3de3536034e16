package io.kubechat.operator.support;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a recorded API request into the RBAC permission it needs: "group resource verb". */
public final class ApiRequests {
  private ApiRequests() {}

  public static Optional<String> permission(RecordedRequest r) {
    String full = r.getPath();
    String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
    String query = full.contains("?") ? full.substring(full.indexOf('?') + 1) : "";
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    int i;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      group = "";
      i = 2;
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      i = 3;
    } else {
      return Optional.empty();
    }
    if (parts.size() > i + 1 && parts.get(i).equals("namespaces")) {
      i += 2;
    }
    if (parts.size() <= i) {
      return Optional.empty();
    }
    String resource = parts.get(i);
    boolean named = parts.size() > i + 1;
    if (parts.size() > i + 2) {
      resource = resource + "/" + parts.get(i + 2);
    }
    String verb =
        switch (r.getMethod().toUpperCase(Locale.ROOT)) {
          case "GET" -> !named ? (query.contains("watch=true") ? "watch" : "list") : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> r.getMethod();
        };
    return Optional.of(group + " " + resource + " " + verb);
  }
}
