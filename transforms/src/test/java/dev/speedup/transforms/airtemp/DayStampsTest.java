package dev.speedup.transforms.airtemp;

import static org.junit.Assert.assertEquals;

import java.time.LocalDate;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class DayStampsTest {
  private static final DayStamps JUNE_FIRST = new DayStamps(LocalDate.of(2020, 6, 1));

  private static int minuteOf(String stamp) {
    // Read from the middle of a larger array, as the parser hands its characters over.
    char[] chars = ("xx" + stamp + "yy").toCharArray();
    return JUNE_FIRST.minuteOf(chars, 2, stamp.length());
  }

  @Test
  public void aSingaporeStampIsItsOwnMinuteOfTheDay() {
    assertEquals(0, minuteOf("2020-06-01T00:00:00+08:00"));
    assertEquals(13 * 60 + 5, minuteOf("2020-06-01T13:05:00+08:00"));
    assertEquals(1439, minuteOf("2020-06-01T23:59:59.999+08:00"));
    assertEquals(1439, minuteOf("2020-06-01T23:59:60+08:00")); // a leap second
    assertEquals(12 * 60, minuteOf("2020-06-01T12:00")); // no offset: Singapore's
  }

  @Test
  public void aStampInAnotherOffsetIsMovedToSingaporesFirst() {
    assertEquals(0, minuteOf("2020-05-31T16:00:00Z"));
    assertEquals(23 * 60 + 59, minuteOf("2020-06-01T15:59:30Z"));
    assertEquals(8 * 60, minuteOf("2020-06-01T00:00+0000"));
    assertEquals(23 * 60 + 59, minuteOf("2020-06-01T10:59:00-05")); // 15:59 UTC
  }

  @Test
  public void anotherDaysStampIsToldApartFromNoStampAtAll() {
    assertEquals(DayStamps.OTHER_DAY, minuteOf("2020-06-02T00:00:00+08:00"));
    assertEquals(DayStamps.OTHER_DAY, minuteOf("2020-06-01T16:00:00Z")); // 2020-06-02 00:00 in Singapore
    assertEquals(DayStamps.OTHER_DAY, minuteOf("2019-01-01T08:00:00+08:00"));
    for (String notAStamp : new String[] {"", "2020-06-01", "2020-06-01 08:00:00+08:00", "2020-06-01T24:00:00+08:00",
        "2020-06-01T08:60:00+08:00", "2020-06-01T08:00:00+8", "2020-06-01T08:00:00 UTC", "2020-06-01T08:00:00+08:00Z",
        "2020-06-01T08:00:00.+08:00", "2020-06-01T08:00:00+19:00", "2020-0a-01T08:00:00+08:00", "2020-02-30T00:06:00Z"}) {
      assertEquals(notAStamp, DayStamps.NO_STAMP, minuteOf(notAStamp));
    }
  }
}
