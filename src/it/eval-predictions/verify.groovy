import groovy.json.JsonSlurper

def report = new JsonSlurper().parse(new File(basedir, 'target/shm/eval/report.json'))
assert report.images.size() == 4
assert report.mean.sad > 0 : 'a trimap is not a matte'
assert report.images.every { it.sad > 0 && it.mse > 0 }
def log = new File(basedir, 'build.log').text
assert log =~ /trimap\/[0-9-]+\.png sad: [0-9.]+/
assert log.contains('ave_sad:')
def junit = new File(basedir, 'target/shm-reports/TEST-shm-eval.xml').text
assert junit.contains('<testsuite name="shm.eval.eval-predictions" tests="2" failures="0"') : junit
assert junit =~ /name="maxSad" time="0"><system-out>measured [0-9.]+, bound 1000\.000000, passed/
return true
