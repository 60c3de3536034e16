package io.kubechat.client.connection;

import java.net.URI;
import java.util.List;

/**
 * The servers to try, in rotation: each connection attempt takes the next one, so a dead pod is
 * skipped on the following attempt. With a single Service address every attempt uses it and the
 * Service picks a live pod. Not thread-safe: used on the client's event loop only.
 */
public final class EndpointRotation {
  private final List<URI> endpoints;
  private int next;

  public EndpointRotation(List<URI> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint is needed");
    }
    for (URI uri : endpoints) {
      String scheme = uri.getScheme();
      if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
        throw new IllegalArgumentException("endpoint must be ws:// or wss://: " + uri);
      }
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("endpoint has no host: " + uri);
      }
    }
    this.endpoints = List.copyOf(endpoints);
  }

  public URI next() {
    URI uri = endpoints.get(next);
    next = (next + 1) % endpoints.size();
    return uri;
  }
}
