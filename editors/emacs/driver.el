;;; driver.el --- batch driver of editors/emacs/test.sh  -*- lexical-binding: t -*-
;; Loads the Eglot configuration in $SNIPPET (docs/editors.md's, extracted by test.sh), opens
;; $FILE, starts Eglot the way `M-x eglot' does (`eglot-ensure' waits for a command loop, which
;; batch Emacs has not), waits for Flymake diagnostics (at most $WAIT seconds, then one more
;; second for late ones) and prints "CONNECTED" once Eglot is connected, then one line per
;; diagnostic: "DIAG <line>: <text>".
(require 'eglot)
(require 'yaml-mode)
(load (getenv "SNIPPET") nil t)
(find-file (getenv "FILE"))
(unless (eq major-mode 'yaml-mode)
  (error "%s opened in %s, not yaml-mode" (getenv "FILE") major-mode))
(apply #'eglot (eglot--guess-contact))
(unless (eglot-current-server) (error "Eglot did not connect"))
(princ "CONNECTED\n")
(let ((deadline (+ (float-time) (string-to-number (or (getenv "WAIT") "30"))))
      (settle nil)
      diags)
  (while (and (< (float-time) deadline) (or (null settle) (< (float-time) settle)))
    (accept-process-output nil 0.1)
    (flymake-start)
    (setq diags (flymake-diagnostics))
    (when (and diags (null settle)) (setq settle (+ (float-time) 1.0))))
  (dolist (d diags)
    (princ (format "DIAG %d: %s\n"
                   (line-number-at-pos (flymake-diagnostic-beg d))
                   (flymake-diagnostic-text d))))
  (ignore-errors (eglot-shutdown (eglot-current-server))))
