package io.kubechat.client.cli;

import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatListener;

/** Builds the client of a CLI command from its options. */
final class ClientFactory {
  private ClientFactory() {}

  static ChatClient connect(CliOptions options, ChatListener... listeners) {
    ChatClient.Builder builder =
        ChatClient.builder()
            .endpoints(options.servers().toArray(String[]::new))
            .user(options.user());
    if (options.token() != null) {
      builder.token(options.token());
    }
    if (options.clientId() != null) {
      builder.clientId(options.clientId());
    }
    for (ChatListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.connect();
  }
}
