import groovy.json.JsonSlurper

def shm = new File(basedir, 'target/shm')
def expected = [train: 18, eval: 6, test: 6]
def debugExpected = [train: 6, eval: 2, test: 2]

[[new File(shm, 'datasets'), expected], [new File(shm, 'datasets_debug'), debugExpected]].each { root, counts ->
    counts.each { split, n ->
        def dir = new File(root, split)
        ['clip_img', 'matting', 'mask', 'alpha', 'trimap'].each { folder ->
            def files = new File(dir, folder).listFiles()
            assert files != null && files.length == n : "$dir/$folder should hold $n files"
        }
        def lines = new File(dir, "${split}.txt").readLines().findAll { it.trim() }
        assert lines.size() == n : "$dir/${split}.txt should list $n samples"
        lines.each { line ->
            def parts = line.split(' ')
            assert new File(dir, parts[0]).isFile() && new File(dir, parts[1]).isFile() : "listed files exist: $line"
        }
    }
    def stats = new JsonSlurper().parse(new File(root, 'mean_std.json'))
    assert stats.mean_clip.size() == 3 && stats.std_clip.every { it > 0 }
}

def stamp = new JsonSlurper().parse(new File(shm, 'datasets/.shm-dataset.json'))
assert stamp.counts == expected
assert stamp.split.startsWith('seeded shuffle (seed 9527)')

def events = new File(shm, 'events.jsonl').readLines().collect { new JsonSlurper().parseText(it) }
assert events.any { it.event == 'done' && it.task == 'generate-data' && it.total == 30 }

def log = new File(basedir, 'build.log').text
assert log.contains('is up to date with its source and configuration, skipping') : 'the second run skips'
return true
