def log = new File(basedir, 'build.log').text
def missing = new File(basedir, 'no/such/dataset').absolutePath
assert log.contains("The source dataset ${missing} does not exist or is not a directory") : 'the message names the path'
assert !new File(basedir, 'target/shm/datasets').exists()
return true
