package dev.shm.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shm.runtime.ShmException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {
    @TempDir
    Path dir;

    /** Holds the lock on a folder in a process of its own until its standard input closes. */
    public static void main(String[] args) throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), "shm:holder", Duration.ZERO, m -> { })) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() != -1) {
                // hold until the test lets go
            }
        }
    }

    private Process holder() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DirectoryLockTest.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine());
        return process;
    }

    @Test
    void anotherProcessHoldingTheFolderIsNamedWhenThereIsNoPatience() throws Exception {
        Process other = holder();
        try {
            ShmException e = assertThrows(ShmException.class,
                    () -> DirectoryLock.acquire(dir, "shm:eval", Duration.ZERO, m -> { }));
            assertTrue(e.getMessage().contains("shm:holder, pid " + other.pid() + " on "), e.getMessage());
            assertEquals(ShmException.Fix.WAIT_LONGER, e.fix(), "the front end says how to wait longer");
        } finally {
            other.getOutputStream().close();
            other.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWaitingBuildGoesOnWhenTheOtherFinishes() throws Exception {
        Process other = holder();
        new Thread(() -> {
            try {
                Thread.sleep(1000);
                other.getOutputStream().close();
            } catch (Exception ignored) {
                // the test's wait then runs out and fails it
            }
        }).start();
        List<String> heard = new ArrayList<>();
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "shm:eval", Duration.ofSeconds(60), heard::add)) {
            assertEquals(1, heard.size());
            assertTrue(heard.get(0).contains("shm:holder, pid " + other.pid()), heard.get(0));
            assertTrue(DirectoryLock.holderOf(dir).startsWith("shm:eval, pid " + ProcessHandle.current().pid()));
        }
        assertEquals("", Files.readString(dir.resolve(DirectoryLock.FILE)), "a released lock names nobody");
    }

    @Test
    void aKilledHolderLeavesTheFolderFree() throws Exception {
        Process other = holder();
        other.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "shm:eval", Duration.ZERO, m -> { })) {
            assertTrue(DirectoryLock.holderOf(dir).startsWith("shm:eval"));
        }
    }

    @Test
    void twoGoalsOfOneProcessTakeTurns() throws Exception {
        try (DirectoryLock first = DirectoryLock.acquire(dir, "shm:train", Duration.ZERO, m -> { })) {
            ShmException e = assertThrows(ShmException.class,
                    () -> DirectoryLock.acquire(dir.resolve("."), "shm:eval", Duration.ZERO, m -> { }));
            assertTrue(e.getMessage().contains("shm:train, pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        try (DirectoryLock second = DirectoryLock.acquire(dir, "shm:eval", Duration.ZERO, m -> { })) {
            assertTrue(DirectoryLock.holderOf(dir).startsWith("shm:eval"));
        }
    }

    @Test
    void onlyTheOutermostFoldersAreLockedInOneOrder() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(List.of(a, b), DirectoryLock.outermost(List.of(b, a.resolve("datasets"), a, b.resolve("x/.."))));
    }
}
