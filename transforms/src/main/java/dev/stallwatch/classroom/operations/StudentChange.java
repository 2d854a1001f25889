package dev.stallwatch.classroom.operations;

import dev.stallwatch.classroom.domain.StudentRow;
import dev.stallwatch.classroom.domain.UserRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A new row of one student for C6's first stage: its {@code uc_account-student} row or its {@code
 * uc_account-user} row (exactly one of the two), keyed by the student's id.
 */
@DefaultCoder(StudentChange.StudentChangeCoder.class)
record StudentChange(StudentRow student, UserRow user) implements Serializable {
  StudentChange {
    if ((student == null) == (user == null)) {
      throw new IllegalArgumentException("a student change holds a student row or a user row");
    }
  }

  static StudentChange of(StudentRow student) {
    return new StudentChange(student, null);
  }

  static StudentChange of(UserRow user) {
    return new StudentChange(null, user);
  }

  /** Coder of {@link StudentChange}: a tag, then the row by its own coder. */
  static final class StudentChangeCoder extends AtomicCoder<StudentChange> {
    private static final StudentRow.StudentRowCoder STUDENTS = StudentRow.StudentRowCoder.of();
    private static final UserRow.UserRowCoder USERS = UserRow.UserRowCoder.of();

    public static StudentChangeCoder of() {
      return new StudentChangeCoder();
    }

    @Override
    public void encode(StudentChange c, OutputStream out) throws IOException {
      if (c.student() != null) {
        out.write(0);
        STUDENTS.encode(c.student(), out);
      } else {
        out.write(1);
        USERS.encode(c.user(), out);
      }
    }

    @Override
    public StudentChange decode(InputStream in) throws IOException {
      int tag = in.read();
      if (tag == 0) {
        return StudentChange.of(STUDENTS.decode(in));
      }
      if (tag == 1) {
        return StudentChange.of(USERS.decode(in));
      }
      throw new IOException("not a student change: tag " + tag);
    }
  }
}
