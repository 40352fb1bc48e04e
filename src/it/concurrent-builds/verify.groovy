import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.StandardOpenOption
import java.util.concurrent.TimeUnit

def shm = new File(basedir, 'target/shm')
def coordinates = new File(basedir, 'pom.xml').text =~ /<plugin>\s*<groupId>(.+?)<\/groupId>\s*<artifactId>(.+?)<\/artifactId>\s*<version>(.+?)<\/version>/
assert coordinates.find()
def plugin = "${coordinates.group(1)}:${coordinates.group(2)}:${coordinates.group(3)}"
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path

def start = { String name, List<String> args ->
    def log = new File(basedir, "${name}.log")
    def command = ([mvn, '-B', '-o', '-f', new File(basedir, 'pom.xml').path] + args).collect { it.toString() }
    def process = new ProcessBuilder(command).directory(basedir).redirectErrorStream(true)
            .redirectOutput(log).start()
    [process: process, log: log]
}
def finish = { run ->
    assert run.process.waitFor(300, TimeUnit.SECONDS) : "${run.log} did not finish"
    [exit: run.process.exitValue(), text: run.log.text]
}
def trimaps = { File root ->
    def result = [:]
    ['train', 'eval', 'test'].each { split ->
        new File(root, "${split}/trimap").listFiles().each { result["${split}/${it.name}"] = it.bytes.encodeHex().toString() }
        result["${split}.txt"] = new File(root, "${split}/${split}.txt").text
    }
    result
}
def copy = { File from, File to ->
    def source = from.toPath()
    Files.walk(source).each { path ->
        def target = to.toPath().resolve(source.relativize(path).toString())
        if (Files.isDirectory(path)) {
            Files.createDirectories(target)
        } else {
            Files.copy(path, target)
        }
    }
}

// What each configuration makes on its own, one build after the other.
[3, 15].each { k ->
    def run = finish(start("reference-${k}", ["${plugin}:generate-data", '-Dshm.force=true', "-Dshm.generate_data.ksize=${k}"]))
    assert run.exit == 0 : run.text
    copy(new File(shm, 'datasets'), new File(basedir, "reference-${k}"))
}
def reference3 = trimaps(new File(basedir, 'reference-3'))
def reference15 = trimaps(new File(basedir, 'reference-15'))
assert reference3 != reference15 : 'the two ksizes make different trimaps'

// Builds that start while another holds the output directory wait for it, then take turns.
def lockFile = new File(shm, '.shm.lock')
def channel = FileChannel.open(lockFile.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)
def holder = 'shm:train, pid 4242 on ci-host, since 2026-01-01T00:00:00Z'
def hold = {
    def lock = channel.lock()
    channel.truncate(0)
    channel.write(ByteBuffer.wrap("${holder}\n".toString().bytes), 0)
    lock
}
def waitingFor = { run, String text ->
    def deadline = System.currentTimeMillis() + 120000
    while (!run.log.text.contains(text) && System.currentTimeMillis() < deadline) {
        Thread.sleep(100)
    }
    assert run.log.text.contains(text) : run.log.text
}
def together = { List runs ->
    def lock = hold()
    runs.each { waitingFor(it, "Waiting up to 600 s for ${holder}") }
    lock.release()
    runs.collect { finish(it) }
}
try {
    // Two generate-data builds with different ksize: both succeed, and the dataset is wholly one of them.
    def generated = together([
            start('concurrent-3', ["${plugin}:generate-data", '-Dshm.force=true', '-Dshm.generate_data.ksize=3']),
            start('concurrent-15', ["${plugin}:generate-data", '-Dshm.force=true', '-Dshm.generate_data.ksize=15'])])
    generated.each { assert it.exit == 0 && it.text.contains('BUILD SUCCESS') : it.text }
    def left = trimaps(new File(shm, 'datasets'))
    assert left == reference3 || left == reference15 : 'the dataset mixes the two builds'
    def lastK = left == reference3 ? 3 : 15
    def rerun = finish(start('rerun', ["${plugin}:generate-data", "-Dshm.generate_data.ksize=${lastK}"]))
    assert rerun.exit == 0 && rerun.text.contains('is up to date') : rerun.text

    // Two evaluations at once: both finish with their reports.
    def evaluated = together([start('eval-a', ["${plugin}:eval", '-Dshm.force=true']),
            start('eval-b', ["${plugin}:eval", '-Dshm.force=true'])])
    evaluated.each { assert it.exit == 0 && it.text.contains('BUILD SUCCESS') : it.text }
    assert new File(shm, 'eval/report.json').isFile()

    // A build that may not wait fails naming the holder and the option to wait.
    def lock = hold()
    def refused = finish(start('refused', ["${plugin}:eval", '-Dshm.lockTimeout=0']))
    lock.release()
    assert refused.exit != 0
    assert refused.text.contains("is in use by another build (${holder})") : refused.text
    assert refused.text.contains('-Dshm.lockTimeout=<seconds>') : refused.text
} finally {
    channel.close()
}
return true
