# Sourced by the scripts that install tools with npm. Inside an npm script (`npm test`), the outer npm's
# variables (npm_*, npm_config_*: its user agent names the outer Node 20) and the PATH entries it adds reach an
# inner `npm install`, whose package scripts then see the wrong Node (code-server 4.104's postinstall refuses it).
# clean_npm [NAME=VALUE...] COMMAND...: runs COMMAND with an environment built on purpose: the user's own
# (HOME and so ~/.npmrc, NPM_CONFIG_*, locale, proxies, CA certificates) and the PATH without npm's additions.

clean_npm_path() {
  local dir out=""
  local IFS=:
  for dir in $PATH; do
    case "$dir" in */node_modules/.bin | */node-gyp-bin) continue ;; esac
    out="${out:+$out:}$dir"
  done
  printf '%s' "$out"
}

clean_npm() {
  local name keep=()
  for name in HOME USER LOGNAME SHELL LANG LC_ALL TMPDIR TERM CI SUDO_USER NODE_EXTRA_CA_CERTS SSL_CERT_FILE \
      SSL_CERT_DIR http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY $(compgen -e | grep '^NPM_CONFIG_'); do
    [ -n "${!name+x}" ] && keep+=("$name=${!name}")
  done
  env -i "${keep[@]}" PATH="$(clean_npm_path)" "$@"
}
