package dev.stallwatch.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule for secret names, and URLs shown with their secrets masked. */
class SecretsTest {
  @Test
  void secretNamesMentionAPasswordSecretCredentialTokenPassphraseOrAWholeKey() {
    for (String name :
        List.of(
            "password",
            "sslpassword",
            "SSLPassword",
            "oracle.net.wallet_password",
            "keyStorePassword",
            "javax.net.ssl.trustStorePassword",
            "client_secret",
            "credentials",
            "AUTH_TOKEN",
            "sslpassphrase",
            "sslkey",
            "ssl.key",
            "api_key",
            "apikey",
            "KEY",
            "private_key_file")) {
      assertTrue(Secrets.isSecretName(name), name);
    }
    for (String name :
        List.of(
            "NON_KEYWORDS",
            "keyStore",
            "keyStoreType",
            "ssl.keystore.location",
            "sslmode",
            "sslrootcert",
            "MODE",
            "user",
            "oracle.net.wallet_location",
            "serverRsaPublicKeyFile")) {
      assertFalse(Secrets.isSecretName(name), name);
    }
  }

  @Test
  void findsTheParametersOfEachDriversSyntax() {
    assertEquals(
        List.of("ssl", "sslmode"),
        names(Secrets.parameters("jdbc:postgresql://db:5432/mot?ssl=true&sslmode=verify-full")));
    assertEquals(
        List.of("MODE", "DB_CLOSE_DELAY", "NON_KEYWORDS"),
        names(Secrets.parameters("jdbc:h2:mem:x;MODE=Oracle;DB_CLOSE_DELAY=-1;NON_KEYWORDS=KEY,VALUE")));
    assertEquals(
        List.of("oracle.net.wallet_location"),
        names(Secrets.parameters("jdbc:oracle:thin:@tcps://db:2484/svc?oracle.net.wallet_location=/w")));
    assertEquals(
        List.of("DESCRIPTION", "ADDRESS", "PROTOCOL", "HOST", "PORT", "CONNECT_DATA", "SERVICE_NAME"),
        names(
            Secrets.parameters(
                "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=tcps)(HOST=db)(PORT=2484))"
                    + "(CONNECT_DATA=(SERVICE_NAME=svc)))")));
    assertEquals(
        List.of("sslpassword"), names(Secrets.parameters("jdbc:postgresql://db/mot?ssl%70assword=x")));
    assertEquals(
        List.of("INIT", "MODE"),
        names(Secrets.parameters("jdbc:h2:mem:x;INIT=SET A=1\\;SET B=2;MODE=Oracle")));
  }

  @Test
  void theShownUrlMasksSecretValuesAndUserInfoPasswords() {
    assertEquals(
        "jdbc:postgresql://db/mot?ssl=true&sslpassword=***&sslmode=verify-full",
        Secrets.shownUrl("jdbc:postgresql://db/mot?ssl=true&sslpassword=s3cret&sslmode=verify-full"));
    assertEquals(
        "jdbc:oracle:thin:@tcps://db:2484/svc?oracle.net.wallet_password=***",
        Secrets.shownUrl("jdbc:oracle:thin:@tcps://db:2484/svc?oracle.net.wallet_password=s3cret"));
    assertEquals(
        "jdbc:h2:mem:x;PASSWORD=***;MODE=Oracle",
        Secrets.shownUrl("jdbc:h2:mem:x;PASSWORD=s3c\\;ret;MODE=Oracle"));
    assertEquals(
        "jdbc:oracle:thin:@(DESCRIPTION=(HOST=db)(AUTH_TOKEN=***))",
        Secrets.shownUrl("jdbc:oracle:thin:@(DESCRIPTION=(HOST=db)(AUTH_TOKEN=s3cret))"));
    assertEquals(
        "jdbc:mariadb://sw:***@db:3306/mot", Secrets.shownUrl("jdbc:mariadb://sw:s3cret@db:3306/mot"));
    assertEquals(
        "jdbc:oracle:thin:scott/***@//db:1521/ORCL",
        Secrets.shownUrl("jdbc:oracle:thin:scott/tiger@//db:1521/ORCL"));
    String plain = "jdbc:h2:mem:x;MODE=Oracle;NON_KEYWORDS=KEY;DB_CLOSE_DELAY=-1";
    assertEquals(plain, Secrets.shownUrl(plain));
    assertEquals(
        "jdbc:oracle:thin:@//db:1521/ORCL", Secrets.shownUrl("jdbc:oracle:thin:@//db:1521/ORCL"));
    assertEquals("jdbc:mariadb://sw@db/mot", Secrets.shownUrl("jdbc:mariadb://sw@db/mot"));
    assertNull(Secrets.shownUrl(null));
  }

  @Test
  void aPasswordInUserInfoIsFound() {
    assertTrue(Secrets.hasUserInfoPassword("jdbc:postgresql://sw:s3cret@db/mot"));
    assertTrue(Secrets.hasUserInfoPassword("jdbc:oracle:thin:scott/tiger@//db:1521/ORCL"));
    assertFalse(Secrets.hasUserInfoPassword("jdbc:postgresql://sw@db:5432/mot"));
    assertFalse(Secrets.hasUserInfoPassword("jdbc:postgresql://db:5432/mot"));
    assertFalse(Secrets.hasUserInfoPassword("jdbc:oracle:thin:@//db:1521/ORCL"));
  }

  private static List<String> names(List<Secrets.Parameter> parameters) {
    return parameters.stream().map(Secrets.Parameter::name).toList();
  }
}
