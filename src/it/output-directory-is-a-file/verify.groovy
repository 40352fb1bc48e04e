def log = new File(basedir, 'build.log').text
def pom = new File(basedir, 'pom.xml').canonicalPath
assert log.contains("shm:generate-data could not read or write a file: cannot lock ${pom}/.shm.lock: FileAlreadyExistsException: ${pom}; check that the path exists") : log
assert new File(basedir, 'pom.xml').text.contains('<artifactId>output-directory-is-a-file</artifactId>') : 'the file in the way is untouched'
return true
