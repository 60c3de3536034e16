package io.kubechat.pod.chat.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The byte format of {@link ChatState}'s snapshot chunks. Strings are length-prefixed UTF-8 with an
 * int length: {@code DataOutput.writeUTF} stops at 65,535 bytes, far below the largest text a send
 * may carry ({@code KUBECHAT_MAX_TEXT_BYTES}, up to 16 MiB).
 */
final class SnapshotIo {

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  interface Reader {
    void read(DataInputStream in) throws IOException;
  }

  private SnapshotIo() {}

  static byte[] write(Writer w) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static void read(byte[] chunk, Reader r) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(chunk))) {
      r.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IOException("corrupt snapshot: a string of " + length + " bytes");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
