package dev.stallwatch.pipeline.files;

import dev.stallwatch.classroom.domain.Message;
import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads one topic's dump files ({@code .jsonl}, optionally {@code .gz}; one message a line) into
 * {@link Message}s without a key, each with its origin {@code file:line}. Lines are split and
 * decoded as {@link ReadDump} does: a line that is not UTF-8, longer than {@link RawRow#MAX_BYTES}
 * or cut by an archive that ends early is a dead letter ({@link #UNREADABLE}) with its reason, and
 * so is the cut itself; blank lines are skipped. Counted in namespace {@code classroom}, {@value
 * #UNREADABLE_COUNTER}.
 */
public final class ReadMessages extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Message> MESSAGES = new TupleTag<Message>("messages") {};
  public static final TupleTag<BadRecord> UNREADABLE = new TupleTag<BadRecord>("unreadable") {};
  public static final String UNREADABLE_COUNTER = "dump.unreadable";

  private final List<String> files;

  private ReadMessages(List<String> files) {
    this.files = List.copyOf(files);
  }

  /** Reads {@code files} (paths or URLs Beam's file systems know); none gives no message. */
  public static ReadMessages of(List<String> files) {
    return new ReadMessages(files);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        begin
            .apply("Files", Create.of(files).withCoder(org.apache.beam.sdk.coders.StringUtf8Coder.of()))
            .apply("Match", FileIO.matchAll())
            .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
            .apply("Lines", ParDo.of(new ReadFn()).withOutputTags(MESSAGES, TupleTagList.of(UNREADABLE)));
    read.get(MESSAGES).setCoder(Message.MessageCoder.of());
    read.get(UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    return read;
  }

  private static final class ReadFn extends DoFn<FileIO.ReadableFile, Message> {
    private final Counter unreadable = Metrics.counter(dev.stallwatch.classroom.transforms.ClassroomMetrics.NAMESPACE, UNREADABLE_COUNTER);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
      String path = file.getMetadata().resourceId().toString();
      boolean compressed = file.getCompression() != Compression.UNCOMPRESSED;
      long lineNo = 0;
      try (InputStream in = Channels.newInputStream(file.open())) {
        LineReader reader = new LineReader(in, compressed);
        for (LineReader.Line l = reader.readLine(); l != null; l = reader.readLine()) {
          lineNo++;
          String text = lineNo == 1 && l.text.startsWith("\uFEFF") ? l.text.substring(1) : l.text;
          if (Text.isBlank(text) && !l.over) {
            continue;
          }
          String origin = path + ":" + lineNo;
          String reason =
              l.over
                  ? RawRow.tooLong(l.bytes)
                  : l.cut ? "the line is unfinished where the archive cannot be read further" : l.utf8 ? null : "not UTF-8 text";
          if (reason == null) {
            out.get(MESSAGES).output(new Message(null, text, origin));
          } else {
            unreadable.inc();
            out.get(UNREADABLE).output(BadRecord.of(text, origin, reason));
          }
        }
        if (reader.cut() != null) {
          unreadable.inc();
          out.get(UNREADABLE)
              .output(
                  BadRecord.of(
                      "",
                      path + ":" + (lineNo + 1),
                      "the archive cannot be read past byte " + reader.offset() + " of its text ("
                          + reader.cut() + "): the lines before were read, nothing after"));
        }
      }
    }
  }
}
