def log = new File(basedir, 'build.log').text
def xml = new File(basedir, 'target/shm-reports/TEST-shm-eval.xml')

// 1: the failed gate is a warning and the JUnit report says which comparison failed
assert log =~ /\[WARNING\] shm:eval quality gate failed: mean sad [0-9.]+ exceeds the threshold maxSad 0\.001 .*maven\.test\.failure\.ignore/
// 2 and 3: skipped
assert log.contains('shm:eval skipped (shm.eval.skip=true)')
assert log.contains('shm:eval skipped (skipTests=true)')
// 4: -D beats the POM's property, so the gate passes, and install publishes the report
assert log =~ /(?s)BUILD SUCCESS.*BUILD SUCCESS.*BUILD SUCCESS.*BUILD SUCCESS.*BUILD SUCCESS/
assert log =~ /Installing .*eval-gate-options-1\.0-eval-report\.json/
// 5: the installed report is the next build's baseline by coordinates; the same data is 0% worse
assert log =~ /shm:eval baseline dev\.shm\.it:eval-gate-options:1\.0 resolved to .*eval-gate-options-1\.0-eval-report\.json/
// 6: a baseline regression fails the build, and the report's test case for it fails too
assert log =~ /shm:eval quality gate failed: mean sad [0-9.]+ is [0-9.]+% worse than the baseline 0\.000100/
def report = xml.text
assert report.contains('<testsuite name="shm.eval.eval-gate-options" tests="6" failures="1"') : report
assert report.contains('name="maxSad" time="0"><system-out>') : 'maxSad 1000 passes'
assert report =~ /name="baseline sad" time="0"><failure message="mean sad/
assert report.contains('name="baseline mse" time="0"><system-out>') : 'mse is far better than its baseline'
return true
