package sla_test

import (
	"fmt"
	"time"

	"github.com/supportkit/supportkit/sla"
)

// A support team in Moscow works 09:00-18:00 on weekdays with a lunch break from 13:00 to
// 14:00. 2026-03-09 is a public holiday (International Women's Day moved from Sunday), New
// Year's Day is closed every year, and Friday 2026-03-06 is a short day.
func Example_calendar() {
	msk, _ := time.LoadLocation("Europe/Moscow")
	cal, err := sla.NewCalendar(sla.CalendarConfig{
		Location: msk,
		Week:     sla.Weekdays(sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 18, 0)),
		Holidays: []sla.Holiday{
			{Name: "New Year", Date: sla.Annual(time.January, 1)},
			{Name: "Women's Day (moved)", Date: sla.Day(2026, time.March, 9)},
			{Name: "Short day", Date: sla.Day(2026, time.March, 6), Hours: []sla.Interval{sla.Hours(9, 0, 13, 0), sla.Hours(14, 0, 17, 0)}},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	friday := time.Date(2026, time.March, 6, 12, 0, 0, 0, msk)
	fmt.Println("open at lunch:", cal.IsOpen(friday.Add(90*time.Minute)))
	fmt.Println("open time to Tuesday noon:", cal.Between(friday, time.Date(2026, time.March, 10, 12, 0, 0, 0, msk)))
	// Friday's short day holds 1h before lunch and 3h after: 4h end at 17:00 sharp.
	fmt.Println("4 business hours later:", cal.Add(friday, 4*time.Hour).Format("Mon Jan 2 15:04"))
	next, _ := cal.NextOpen(time.Date(2026, time.March, 6, 17, 30, 0, 0, msk))
	fmt.Println("next open after 17:30:", next.Format("Mon Jan 2 15:04"))
	for s := range cal.Open(friday, friday.AddDate(0, 0, 4)) {
		fmt.Println("open", s.Start.Format("Mon 15:04"), "-", s.End.Format("15:04"))
	}
	// Output:
	// open at lunch: false
	// open time to Tuesday noon: 7h0m0s
	// 4 business hours later: Fri Mar 6 17:00
	// next open after 17:30: Tue Mar 10 09:00
	// open Fri 12:00 - 13:00
	// open Fri 14:00 - 17:00
	// open Tue 09:00 - 12:00
}
