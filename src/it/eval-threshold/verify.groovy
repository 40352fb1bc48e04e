def log = new File(basedir, 'build.log').text
assert log =~ /shm:eval quality gate failed: mean sad [0-9.]+ exceeds the threshold maxSad 0\.001/
assert new File(basedir, 'target/shm/eval/report.json').isFile() : 'the reports are written before the gate fails'
def junit = new File(basedir, 'target/shm-reports/TEST-shm-eval.xml').text
assert junit.contains('<testsuite name="shm.eval.eval-threshold" tests="2" failures="1"') : junit
assert junit =~ /name="maxSad" time="0"><failure message="mean sad [0-9.]+ exceeds the threshold maxSad 0\.001"/
return true
