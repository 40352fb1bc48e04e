def log = new File(basedir, 'build.log').text
assert log.contains("shm.sparkMaster is 'local[2]', and Spark training is not on the classpath: add dev.shm:shm-spark:")
assert log.contains('<artifactId>shm-spark</artifactId>') : 'the fix in Maven terms'
assert !new File(basedir, 'target/shm/ckpt_s2').exists()
return true
