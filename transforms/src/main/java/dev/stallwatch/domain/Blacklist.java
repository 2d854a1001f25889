package dev.stallwatch.domain;

import dev.stallwatch.text.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * Customers a route may exclude (SPEC §5): by {@code id_no} and by mobile. In production this is
 * the blacklist and the existing-customer table together.
 */
@DefaultCoder(Blacklist.BlacklistCoder.class)
public final class Blacklist implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Blacklist EMPTY = new Blacklist(Set.of(), Set.of());

  private final Set<String> idNos;
  private final Set<String> mobiles;

  private Blacklist(Set<String> idNos, Set<String> mobiles) {
    this.idNos = idNos;
    this.mobiles = mobiles;
  }

  public static Blacklist empty() {
    return EMPTY;
  }

  /**
   * A blacklist of the given ids and mobiles, trimmed of white space as the rows' fields are
   * ({@link Text#strip}); blank entries are ignored.
   */
  public static Blacklist of(Iterable<String> idNos, Iterable<String> mobiles) {
    return new Blacklist(nonBlank(idNos), nonBlank(mobiles));
  }

  private static Set<String> nonBlank(Iterable<String> values) {
    Set<String> set = new HashSet<>();
    for (String v : values) {
      String value = v == null ? "" : Text.strip(v);
      if (!value.isEmpty()) {
        set.add(value);
      }
    }
    return set;
  }

  /** True when the event's non-empty {@code id_no} or its mobile is listed. */
  public boolean matches(Event e) {
    return (!e.idNo().isEmpty() && idNos.contains(e.idNo())) || mobiles.contains(e.mobile());
  }

  public Set<String> idNos() {
    return idNos;
  }

  public Set<String> mobiles() {
    return mobiles;
  }

  public int size() {
    return idNos.size() + mobiles.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Blacklist
        && idNos.equals(((Blacklist) o).idNos)
        && mobiles.equals(((Blacklist) o).mobiles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(idNos, mobiles);
  }

  @Override
  public String toString() {
    return "Blacklist{" + idNos.size() + " id_no, " + mobiles.size() + " mobiles}";
  }

  /** Coder of {@link Blacklist}. */
  public static final class BlacklistCoder extends AtomicCoder<Blacklist> {
    private static final BlacklistCoder INSTANCE = new BlacklistCoder();

    public static BlacklistCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Blacklist b, OutputStream out) throws IOException {
      writeSet(b.idNos, out);
      writeSet(b.mobiles, out);
    }

    @Override
    public Blacklist decode(InputStream in) throws IOException {
      Set<String> ids = readSet(in);
      return new Blacklist(ids, readSet(in));
    }

    private static void writeSet(Set<String> set, OutputStream out) throws IOException {
      StreamCodec.writeInt(set.size(), out);
      for (String s : set) {
        StreamCodec.writeString(s, out);
      }
    }

    private static Set<String> readSet(InputStream in) throws IOException {
      int n = StreamCodec.readInt(in);
      Set<String> set = new HashSet<>(Math.max(16, n * 2));
      for (int i = 0; i < n; i++) {
        set.add(StreamCodec.readString(in));
      }
      return set;
    }
  }
}
