def log = new File(basedir, 'build.log').text
assert log =~ /shm:eval quality gate failed: mean sad [0-9.]+ exceeds the threshold maxSad 0\.001/
assert new File(basedir, 'target/shm/eval/report.json').isFile() : 'the reports are written before the gate fails'
def junit = new File(basedir, 'target/shm-reports/TEST-shm-eval.xml').text
assert junit.contains('<testsuite name="shm.eval.eval-threshold" tests="2" failures="1"') : junit
assert junit =~ /name="maxSad" time="0"><failure message="mean sad [0-9.]+ exceeds the threshold maxSad 0\.001"/

// The report renders in a real browser (Debian's chromium, which .ci/run installs): the verdict, the gate's table
// and every composite image.
def browser = ['chromium', 'chromium-browser', 'google-chrome'].find { name ->
    System.getenv('PATH').split(File.pathSeparator).any { new File(it, name).canExecute() }
}
if (browser == null) {
    println 'index.html not checked in a browser: no chromium on the PATH'
} else {
    def page = new File(basedir, 'target/shm/eval/index.html')
    def process = [browser, '--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files',
                   '--virtual-time-budget=10000', '--dump-dom', page.toURI().toString()].execute()
    def dom = new StringBuilder()
    process.consumeProcessOutput(dom, new StringBuilder())
    assert process.waitFor() == 0
    def html = dom.toString()
    assert html.contains('<p id="verdict" class="failed"><b>Quality gate failed</b></p>') : html
    assert html =~ /(?s)<table id="gate">.*maxSad/
    def images = page.text.count('<img ')
    assert images > 0
    assert html.contains("data-loaded=\"${images}\"") : "all ${images} composites load: " + (html =~ /<body[^>]*>/)[0]
}
return true
