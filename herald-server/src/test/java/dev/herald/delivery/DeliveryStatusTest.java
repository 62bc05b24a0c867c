package dev.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryStatusTest {
  @Test
  void pendingMayEndInAnyOutcome() {
    for (DeliveryStatus s :
        new DeliveryStatus[] {
          DeliveryStatus.SENT,
          DeliveryStatus.FAILED,
          DeliveryStatus.SKIPPED,
          DeliveryStatus.CANCELED,
          DeliveryStatus.DEAD
        }) {
      assertThat(DeliveryStatus.PENDING.canMoveTo(s)).isTrue();
    }
  }

  @Test
  void finalStatesStayFinalExceptADeadLetterBeingRedriven() {
    assertThat(DeliveryStatus.SKIPPED.canMoveTo(DeliveryStatus.PENDING)).isFalse();
    assertThat(DeliveryStatus.CANCELED.canMoveTo(DeliveryStatus.SENT)).isFalse();
    assertThat(DeliveryStatus.DEAD.canMoveTo(DeliveryStatus.PENDING)).isTrue();
    assertThat(DeliveryStatus.SENT.canMoveTo(DeliveryStatus.DELIVERED)).isTrue();
    assertThat(DeliveryStatus.DELIVERED.canMoveTo(DeliveryStatus.SENT)).isFalse();
  }

  @Test
  void anIllegalMoveThrows() {
    assertThatThrownBy(() -> DeliveryStatus.FAILED.moveTo(DeliveryStatus.SENT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed to sent");
  }
}
