package io.kubechat.operator.crd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * fabric8's CRD generator sorts printer columns by JSON path (it has no way to order them), and
 * kubectl shows them in CRD order. The checked-in CRD is the generated one with its columns put in
 * {@link #ORDER}, a text-level step that keeps everything else byte for byte.
 */
final class PrinterColumnOrder {
  static final List<String> ORDER = List.of("Replicas", "Ready", "Leader", "Term", "Phase", "Age");
  private static final String START = "  - additionalPrinterColumns:\n";
  private static final String ITEM = "    - ";

  private PrinterColumnOrder() {}

  static String apply(String crd) {
    int start = crd.indexOf(START);
    if (start < 0) {
      return crd;
    }
    int from = start + START.length();
    int to = from;
    List<String> columns = new ArrayList<>();
    StringBuilder column = null;
    for (String line : crd.substring(from).split("(?<=\n)")) {
      if (!line.startsWith(ITEM) && !line.startsWith("      ")) {
        break;
      }
      if (line.startsWith(ITEM)) {
        if (column != null) {
          columns.add(column.toString());
        }
        column = new StringBuilder();
      }
      column.append(line);
      to += line.length();
    }
    if (column != null) {
      columns.add(column.toString());
    }
    columns.sort(Comparator.comparingInt(PrinterColumnOrder::rank));
    return crd.substring(0, from) + String.join("", columns) + crd.substring(to);
  }

  private static int rank(String column) {
    for (int i = 0; i < ORDER.size(); i++) {
      if (column.contains("name: \"" + ORDER.get(i) + "\"\n")) {
        return i;
      }
    }
    return ORDER.size();
  }
}
