package dev.stallwatch.pipeline.search;

import dev.stallwatch.domain.StreamCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One document for a search index: its {@code _id}, its source (the text of one JSON object) and
 * its external version, a revision that only grows along the revisions of one id. The index keeps,
 * per id, the document of the highest version it was given ({@link SearchIndexWrite}), so a replay
 * or a retried bundle that writes an older revision after a newer one changes nothing.
 *
 * <p>A version is a non-negative long (OpenSearch's and Elasticsearch's external versions take 0
 * up to 9.2e18); the id is not blank and at most 512 bytes of UTF-8, the limit of both engines.
 */
@DefaultCoder(SearchDoc.SearchDocCoder.class)
public record SearchDoc(String id, String json, long version) {
  /** The most UTF-8 bytes of an {@code _id}. */
  public static final int MAX_ID_BYTES = 512;

  public SearchDoc {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(json, "json");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a search document's id must not be blank");
    }
    if (id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
      throw new IllegalArgumentException(
          "a search document's id is at most " + MAX_ID_BYTES + " bytes of UTF-8: " + id.substring(0, 40) + "...");
    }
    if (version < 0) {
      throw new IllegalArgumentException("the version of document " + id + " is negative: " + version);
    }
  }

  /** Coder of {@link SearchDoc}: the id and the source as UTF-8 with their lengths, the version as a varint. */
  public static final class SearchDocCoder extends AtomicCoder<SearchDoc> {
    private static final SearchDocCoder INSTANCE = new SearchDocCoder();
    private static final VarLongCoder LONG = VarLongCoder.of();

    public static SearchDocCoder of() {
      return INSTANCE;
    }

    /** What {@link DefaultCoder} looks up, so that {@code Create.of(doc, ...)} infers this coder. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(SearchDoc.class), INSTANCE);
    }

    @Override
    public void encode(SearchDoc d, OutputStream out) throws IOException {
      StreamCodec.writeString(d.id, out);
      StreamCodec.writeString(d.json, out);
      LONG.encode(d.version, out);
    }

    @Override
    public SearchDoc decode(InputStream in) throws IOException {
      return new SearchDoc(StreamCodec.readString(in), StreamCodec.readString(in), LONG.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
