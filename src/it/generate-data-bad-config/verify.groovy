def log = new File(basedir, 'build.log').text
assert log.contains("config.yaml line 4: unknown key 'generate_data.ksise'") : 'the message names the key and the line'
return true
