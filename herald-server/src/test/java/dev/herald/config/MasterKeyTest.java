package dev.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
  @TempDir Path dir;

  @Test
  void firstStartGeneratesAPrivateKeyFileAndLaterStartsReuseIt() throws Exception {
    byte[] first = MasterKey.load(Optional.empty(), dir);
    Path file = dir.resolve(MasterKey.FILE);
    assertThat(first).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(MasterKey.load(Optional.empty(), dir)).isEqualTo(first);
  }

  @Test
  void aConfiguredKeyWinsAndMustBeThirtyTwoBytes() {
    byte[] key = new byte[32];
    key[0] = 7;
    assertThat(MasterKey.load(Optional.of(Base64.getEncoder().encodeToString(key)), dir))
        .isEqualTo(key);
    assertThat(dir.resolve(MasterKey.FILE)).doesNotExist();
    assertThatThrownBy(() -> MasterKey.load(Optional.of("c2hvcnQ="), dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HERALD_MASTER_KEY");
  }
}
