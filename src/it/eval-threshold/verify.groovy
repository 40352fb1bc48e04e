def log = new File(basedir, 'build.log').text
assert log =~ /shm:eval quality gate failed: mean sad [0-9.]+ exceeds the threshold maxSad 0\.001/
assert new File(basedir, 'target/shm/eval/report.json').isFile() : 'the reports are written before the gate fails'
assert new File(basedir, 'target/shm/eval/TEST-shm-eval.xml').text.contains('failures="4"')
return true
