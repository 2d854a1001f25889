package dev.stallwatch.pipeline.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * How much of a backfill's input this JVM's readers have read: bytes of the dump files as stored
 * (compressed bytes for a {@code .gz}) and records. Only the readers that run in this JVM count:
 * the direct runner and the embedded Flink and Spark do; a job on a cluster reads elsewhere and
 * leaves the counts at zero. The counts only grow; a command takes a {@link #now} before it starts
 * and reports the difference.
 */
public final class ReadProgress {
  private static final LongAdder BYTES = new LongAdder();
  private static final LongAdder RECORDS = new LongAdder();

  private ReadProgress() {}

  /** Bytes and records read so far in this JVM. */
  public record Snapshot(long bytes, long records) {
    public Snapshot since(Snapshot earlier) {
      return new Snapshot(bytes - earlier.bytes, records - earlier.records);
    }
  }

  public static Snapshot now() {
    return new Snapshot(BYTES.sum(), RECORDS.sum());
  }

  static void records(long n) {
    RECORDS.add(n);
  }

  /** {@code channel}, counting every byte read from it. */
  static ReadableByteChannel counting(ReadableByteChannel channel) {
    return new ReadableByteChannel() {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n > 0) {
          BYTES.add(n);
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
