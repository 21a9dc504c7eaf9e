# The demo's words: what the floor and the interpreters say at the Tirana roundtable on the
# digitalisation and cybersecurity of elections. Sourced by make-demo-input.sh (the offline
# demo's recordings) and make-clips.sh (the live demo's clips), so both speak the same session.
# Each text is spoken by espeak-ng with the voice next to it.
# shellcheck shell=bash disable=SC2034

# The floor.
text_chair_en="Good morning, and welcome to the regional roundtable on the \
digitalisation of electoral processes. Today we discuss cybersecurity and the cooperation \
between institutions across the Western Balkans. Election management bodies now use digital \
tools for voter identification, for the transmission of results, and for public information."
voice_chair_en=en

text_delegate_sq="Faleminderit, zoti kryetar. Komisioni Qendror i Zgjedhjeve ka \
prezantuar identifikimin elektronik të votuesve. Siguria kibernetike është një sfidë e \
përbashkët për të gjitha institucionet që marrin pjesë në procesin zgjedhor."
voice_delegate_sq=sq

text_delegate_mk="Ви благодарам. Државната изборна комисија воведе електронска обработка \
на резултатите. Заштитата на личните податоци на гласачите е наш заеднички приоритет."
voice_delegate_mk=mk

# The interpreters: two sentences per booth language (the offline demo gives one to each desk
# of the booth; the live demo speaks both in one clip per booth).
text_en_1="Thank you, Mister Chairman. The Central Election Commission has introduced \
electronic voter identification."
text_en_2="Cybersecurity is a shared challenge for every institution that takes part in \
the electoral process."
voice_en=en

text_sq_1="Mirëmëngjes dhe mirë se vini në tryezën rajonale për digjitalizimin e \
proceseve zgjedhore."
text_sq_2="Sot diskutojmë sigurinë kibernetike dhe bashkëpunimin ndërinstitucional."
voice_sq=sq

text_bsm_1="Dobro jutro i dobrodošli na regionalni okrugli sto o digitalizaciji izbornih \
procesa."
text_bsm_2="Danas razgovaramo o sajber bezbjednosti i saradnji između institucija."
voice_bsm_1=sr
voice_bsm_2=bs

text_mk_1="Добро утро и добредојдовте на регионалната тркалезна маса за дигитализација \
на изборните процеси."
text_mk_2="Денес зборуваме за сајбер безбедноста и соработката меѓу институциите."
voice_mk=mk
