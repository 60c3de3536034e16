package io.kubechat.client.cli;

import io.kubechat.client.ChatClient;
import io.kubechat.client.ChatListener;
import java.nio.file.Path;

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
    if (options.caFile() != null) {
      builder.trustCaFile(Path.of(options.caFile()));
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
